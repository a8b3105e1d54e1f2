package io.elektron.core.ops;

import io.elektron.core.IndexStorage;
import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

import java.util.Arrays;

/**
 * Row gather from an embedding matrix. Its backward is a scatter-add into only the rows that were looked up, and it
 * tells the weight's gradient which rows those were ({@link Tensor#gradTouchedRows()}): adversarial training and
 * sparse updates read that instead of scanning a 30522 x 128 matrix.
 */
public final class EmbeddingLookup {
    private EmbeddingLookup() {
    }

    /**
     * @param weight     [V, D]
     * @param ids        flat ids, every one in [0, V)
     * @param idsShape   shape of ids (product = ids.length); the output is idsShape + [D]
     * @param paddingIdx row that never receives gradient (HF padding_idx), or -1
     */
    public static Tensor lookup(Tensor weight, int[] ids, int[] idsShape, int paddingIdx) {
        ShapeCheck.rank("embedding", "weight", weight, 2);
        if (ShapeCheck.numel(idsShape) != ids.length) {
            throw new IllegalArgumentException("embedding: ids shape " + Arrays.toString(idsShape) + " holds "
                    + ShapeCheck.numel(idsShape) + " ids, got " + ids.length);
        }
        int vocab = weight.size(0);
        int dim = weight.size(1);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IndexOutOfBoundsException("embedding: id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        int[] outShape = Arrays.copyOf(idsShape, idsShape.length + 1);
        outShape[idsShape.length] = dim;
        Tensor out = Tensor.empty(weight.backend(), outShape);
        // The device copy serves the forward and the backward; the host copy tells the gradient which rows it touches.
        int[] idsCopy = ids.clone();
        IndexStorage deviceIds = weight.backend().uploadIndices(idsCopy);
        weight.backend().embeddingGather(deviceIds, dim, weight.storage(), out.storage());
        return Autograd.record(out, "embedding", new Tensor[]{weight}, gy -> {
            Tensor g = weight.gradForRowAccumulation(idsCopy, paddingIdx);
            weight.backend().embeddingScatterAdd(deviceIds, dim, gy.storage(), paddingIdx, g.storage());
        });
    }
}
