package io.elektron.model.adversarial;

import io.elektron.core.Tensor;

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
        if (g == null) return 0;
        int cols = weight.size(1);
        double sq = 0;
        for (int r : rows) sq += g.backend().sumOfSquares(g.storage(), (long) r * cols, cols);
        return Math.sqrt(sq);
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
