package io.elektron.core.ops;

import io.elektron.core.IndexStorage;
import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/**
 * Row selection and placement on [R, D] matrices, with gradients: how a packed batch's [CLS] rows reach the
 * classification head, and how packed activations are laid back out as a padded [B * T, D] matrix for callers that
 * want one. Reuses the backend's embedding kernels (a row gather and a row scatter-add).
 */
public final class RowGather {
    private RowGather() {
    }

    /** out[i] = x[rows[i]]: [rows.length, D]; repeated rows are allowed (their gradients add). */
    public static Tensor gather(Tensor x, int[] rows) {
        ShapeCheck.rank("row gather", "input", x, 2);
        checkRows("row gather", rows, x.size(0));
        int dim = x.size(1);
        IndexStorage deviceRows = x.backend().uploadIndices(rows);
        Tensor out = Tensor.empty(x.backend(), rows.length, dim);
        x.backend().embeddingGather(deviceRows, dim, x.storage(), out.storage());
        return Autograd.record(out, "rowGather", new Tensor[]{x}, gy ->
                x.backend().embeddingScatterAdd(deviceRows, dim, gy.storage(), -1, x.gradForAccumulation().storage()));
    }

    /**
     * out[destinations[i]] = x[i] in a zero [outRows, D] matrix: the inverse of {@link #gather} for distinct
     * destinations (a packed [N, D] matrix laid out as padded [B * T, D]).
     */
    public static Tensor scatter(Tensor x, int[] destinations, int outRows) {
        ShapeCheck.rank("row scatter", "input", x, 2);
        if (destinations.length != x.size(0)) {
            throw new IllegalArgumentException("row scatter: " + destinations.length + " destinations for "
                    + x.size(0) + " rows");
        }
        checkRows("row scatter", destinations, outRows);
        java.util.BitSet seen = new java.util.BitSet(outRows);
        for (int d : destinations) {
            if (seen.get(d)) throw new IllegalArgumentException("row scatter: destination row " + d + " repeats");
            seen.set(d);
        }
        int dim = x.size(1);
        IndexStorage deviceDestinations = x.backend().uploadIndices(destinations);
        Tensor out = Tensor.zeros(x.backend(), outRows, dim);
        x.backend().embeddingScatterAdd(deviceDestinations, dim, x.storage(), -1, out.storage());
        return Autograd.record(out, "rowScatter", new Tensor[]{x}, gy -> {
            Tensor picked = Tensor.empty(x.backend(), destinations.length, dim);
            x.backend().embeddingGather(deviceDestinations, dim, gy.storage(), picked.storage());
            x.backend().axpy(picked.numel(), 1f, picked.storage(), 0, x.gradForAccumulation().storage(), 0);
        });
    }

    private static void checkRows(String op, int[] rows, int limit) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= limit) {
                throw new IndexOutOfBoundsException(op + ": row " + rows[i] + " at position " + i + " is outside [0, "
                        + limit + ")");
            }
        }
    }
}
