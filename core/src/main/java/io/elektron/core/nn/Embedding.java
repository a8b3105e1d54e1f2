package io.elektron.core.nn;

import io.elektron.core.Tensor;
import io.elektron.core.ops.EmbeddingLookup;

import java.util.SplittableRandom;

/**
 * A lookup table [num, dim]. Its backward scatter-adds into the looked-up rows only and records which ones, the hook
 * that adversarial training (FGM on the word-embedding matrix) uses. Row {@code paddingIdx} never gets a gradient, as
 * in PyTorch's padding_idx.
 */
public final class Embedding extends Module {
    private Tensor weight; // [num, dim]
    private final int paddingIdx;

    public Embedding(int num, int dim, int paddingIdx, SplittableRandom init, float std) {
        this.paddingIdx = paddingIdx;
        this.weight = registerParameter("weight", Parameters.normal(init, std, num, dim));
        if (init != null && paddingIdx >= 0) {
            // HF zeroes the padding row at initialisation.
            weight.backend().fill(weight.storage(), (long) paddingIdx * dim, dim, 0f);
        }
    }

    /** ids with shape idsShape -> idsShape + [dim] */
    public Tensor forward(int[] ids, int... idsShape) {
        return EmbeddingLookup.lookup(weight, ids, idsShape, paddingIdx);
    }

    public Tensor weight() {
        return weight;
    }

    public int paddingIdx() {
        return paddingIdx;
    }

    public int num() {
        return weight.size(0);
    }

    public int dim() {
        return weight.size(1);
    }

    @Override
    public void replaceParameter(String name, Tensor parameter) {
        super.replaceParameter(name, parameter);
        weight = parameter;
    }
}
