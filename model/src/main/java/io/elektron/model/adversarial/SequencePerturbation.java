package io.elektron.model.adversarial;

/**
 * Per-example normalisation of a perturbation of the embedded sequence [B, T, E] (Miyato et al. 2017): each example's
 * vector over (time, dim) is scaled to norm eps, padding positions held at zero.
 */
final class SequencePerturbation {
    private SequencePerturbation() {
    }

    /** out_b = eps * g_b / ||g_b|| over the example's non-padding positions; zero where mask is 0. */
    static float[] normalized(float[] gradient, int[] attentionMask, int batch, int length, int dim, float eps) {
        float[] out = new float[gradient.length];
        for (int b = 0; b < batch; b++) {
            double sq = 0;
            for (int t = 0; t < length; t++) {
                if (attentionMask[b * length + t] == 0) continue;
                int base = (b * length + t) * dim;
                for (int d = 0; d < dim; d++) sq += (double) gradient[base + d] * gradient[base + d];
            }
            double norm = Math.sqrt(sq);
            if (norm == 0 || !Double.isFinite(norm)) continue;
            for (int t = 0; t < length; t++) {
                if (attentionMask[b * length + t] == 0) continue;
                int base = (b * length + t) * dim;
                for (int d = 0; d < dim; d++) out[base + d] = (float) (eps * gradient[base + d] / norm);
            }
        }
        return out;
    }

    /** Largest per-example L2 norm of a [B, T, E] perturbation. */
    static double maxExampleNorm(float[] r, int batch, int length, int dim) {
        double max = 0;
        for (int b = 0; b < batch; b++) {
            double sq = 0;
            for (int i = b * length * dim; i < (b + 1) * length * dim; i++) sq += (double) r[i] * r[i];
            max = Math.max(max, Math.sqrt(sq));
        }
        return max;
    }

    /** Frobenius norm of the whole perturbation. */
    static double norm(float[] r) {
        double sq = 0;
        for (float v : r) sq += (double) v * v;
        return Math.sqrt(sq);
    }
}
