package io.elektron.core.nn;

import io.elektron.core.Tensor;
import io.elektron.core.ops.DropoutOp;

/** Dropout active only in training mode; seeds come from a shared {@link SeedStream}. */
public final class Dropout extends Module {
    private final float p;
    private final SeedStream seeds;

    public Dropout(float p, SeedStream seeds) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
        this.seeds = seeds;
    }

    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) return x;
        return DropoutOp.dropout(x, p, seeds.nextSeed());
    }

    public float probability() {
        return p;
    }
}
