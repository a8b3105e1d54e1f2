package io.elektron.model.adversarial;

/**
 * Per-example normalisation of a perturbation of the embedded sequence (Miyato et al. 2017): each example's vector
 * over (time, dim) is scaled to norm eps, padding rows held at zero. Rows are assigned to examples by
 * {@link ExampleRows}, so padded [B, T, E] and packed [N, E] layouts give the same per-example perturbations.
 */
final class SequencePerturbation {
    private SequencePerturbation() {
    }

    /** out_b = eps * g_b / ||g_b|| over the example's rows; zero on padding rows and for a zero gradient. */
    static float[] normalized(float[] gradient, ExampleRows rows, int dim, float eps) {
        float[] out = new float[gradient.length];
        double[] norms = rows.norms(gradient, dim);
        for (int row = 0; row < rows.rows(); row++) {
            int b = rows.exampleOfRow()[row];
            if (b < 0) continue;
            double norm = norms[b];
            if (norm == 0 || !Double.isFinite(norm)) continue;
            for (int i = row * dim; i < (row + 1) * dim; i++) out[i] = (float) (eps * gradient[i] / norm);
        }
        return out;
    }

    /** Scales each example's rows back onto the eps-ball where they lie outside it (in place). */
    static void projectPerExample(float[] delta, ExampleRows rows, int dim, float eps) {
        double[] norms = rows.norms(delta, dim);
        for (int row = 0; row < rows.rows(); row++) {
            int b = rows.exampleOfRow()[row];
            if (b < 0 || !(norms[b] > eps)) continue;
            float f = (float) (eps / norms[b]);
            for (int i = row * dim; i < (row + 1) * dim; i++) delta[i] *= f;
        }
    }

    /** Largest per-example L2 norm of a perturbation. */
    static double maxExampleNorm(float[] r, ExampleRows rows, int dim) {
        double max = 0;
        for (double n : rows.norms(r, dim)) max = Math.max(max, n);
        return max;
    }
}
