package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.core.ops.RowGather;
import io.elektron.core.ops.Reductions;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.TensorScope;

/** Reads the word-embedding gradient after a backward: which rows it touched and its norm over them. */
final class EmbeddingGradient {
    private EmbeddingGradient() {
    }

    /** Rows that may hold gradient: the touched ones, or every row if some dense op also wrote (a tied LM head). */
    static int[] rows(Tensor weight) {
        if (weight.grad() == null) return new int[0];
        if (!weight.gradIsDense()) return weight.gradTouchedRows();
        int[] all = new int[weight.size(0)];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }

    /** Frobenius norm of the gradient over the given rows (rows outside are zero). */
    static double norm(Tensor weight, int[] rows) {
        Tensor g = weight.grad();
        if (g == null || rows.length == 0) return 0;
        if (rows.length == weight.size(0)) return Math.sqrt(Reductions.sumOfSquares(g));
        // The rows gathered on the device, then one reduction: one number reaches the host, not one per row.
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled()) {
            return Math.sqrt(Reductions.sumOfSquares(RowGather.gather(g, rows)));
        }
    }

    /** weight[rows] += factor * grad[rows]. */
    static void addScaledGradient(Tensor weight, int[] rows, float factor) {
        Tensor g = weight.grad();
        int cols = weight.size(1);
        for (int r : rows) {
            weight.backend().axpy(cols, factor, g.storage(), (long) r * cols, weight.storage(), (long) r * cols);
        }
    }
}
