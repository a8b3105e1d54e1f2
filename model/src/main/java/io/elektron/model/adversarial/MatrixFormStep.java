package io.elektron.model.adversarial;

import io.elektron.core.Tensor;

/**
 * One micro-step that perturbs the rows of the word-embedding MATRIX the micro-batch looked up, once: FGM (along the
 * gradient) and its random control (a random direction of the same norm) both run it, so the control differs from
 * FGM in the direction and nothing else — same rows, same eps, same two passes, same exact restore.
 *
 * <p>Order: clean forward and backward; the perturbation, from this micro-batch's gradient alone (earlier
 * micro-batches' gradient set aside, see {@link GradientRows}); adversarial forward and backward, accumulating onto the
 * clean gradients; the original rows written back. Only rows looked up in the batch have gradient, so only they are
 * backed up and perturbed.
 */
final class MatrixFormStep {
    private MatrixFormStep() {
    }

    /** Adds a perturbation of norm eps to {@code rows} of the matrix, which holds this micro-batch's gradient. */
    @FunctionalInterface
    interface Perturbation {
        /** @param gradientNorm the Frobenius norm of the gradient over {@code rows}: finite and > 0 */
        void addTo(Tensor weight, int[] rows, double gradientNorm);
    }

    static StepStats run(StepContext ctx, Perturbation perturbation) {
        Tensor weight = ctx.embeddings().wordEmbeddings().weight();
        GradientRows earlier = GradientRows.setAside(weight);
        try {
            double cleanLoss = ctx.forwardBackward();

            int[] rows = EmbeddingGradient.rows(weight);
            double norm = EmbeddingGradient.norm(weight, rows);
            if (norm == 0 || !Double.isFinite(norm)) return new StepStats(cleanLoss, Double.NaN, 0);

            RowBackup backup = new RowBackup(weight, rows);
            try {
                perturbation.addTo(weight, rows, norm);
                earlier.addBack(); // the attack is set: from here on the gradient accumulates over micro-batches
                double applied = backup.deltaNorm();
                double advLoss = ctx.forwardBackward();
                return new StepStats(cleanLoss, advLoss, applied);
            } finally {
                backup.restore();
            }
        } finally {
            earlier.addBack();
        }
    }
}
