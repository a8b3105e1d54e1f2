package io.elektron.model.adversarial;

import io.elektron.core.IndexStorage;
import io.elektron.core.Tensor;

/**
 * Per-example normalisation of a perturbation of the embedded sequence (Miyato et al. 2017): each example's vector
 * over (time, dim) is scaled to norm eps, padding rows held at zero. Rows are assigned to examples by
 * {@link ExampleRows}, so padded [B, T, E] and packed [N, E] layouts give the same per-example perturbations. Everything
 * runs on the perturbation's device; only {@link #maxExampleNorm} brings a number (per example) to the host.
 */
final class SequencePerturbation {
    private SequencePerturbation() {
    }

    /**
     * eps * g_b / ||g_b|| over each example's rows, as a new tensor of g's shape; zero on padding rows and for an
     * example whose gradient is zero.
     */
    static Tensor normalized(Tensor gradient, ExampleRows rows, float eps) {
        int dim = lastDim(gradient);
        Tensor out = Tensor.empty(gradient.backend(), gradient.shape());
        IndexStorage owners = rows.upload(gradient.backend());
        gradient.backend().normalizeSegments(owners, dim, gradient.storage(), rows.examples(), eps, out.storage());
        return out;
    }

    /** Scales each example's rows back onto the eps-ball where they lie outside it (in place, no graph). */
    static void projectPerExample(Tensor delta, ExampleRows rows, float eps) {
        IndexStorage owners = rows.upload(delta.backend());
        delta.backend().projectSegments(owners, lastDim(delta), delta.storage(), rows.examples(), eps);
    }

    /** Largest per-example L2 norm of a perturbation (B norms brought to the host, for the step's statistics). */
    static double maxExampleNorm(Tensor r, ExampleRows rows) {
        if (rows.examples() == 0) return 0;
        Tensor norms = Tensor.empty(r.backend(), rows.examples());
        r.backend().segmentNorms(rows.upload(r.backend()), lastDim(r), r.storage(), rows.examples(), norms.storage());
        double max = 0;
        for (float n : norms.toFloatArray()) max = Math.max(max, n);
        return max;
    }

    private static int lastDim(Tensor t) {
        return t.size(t.rank() - 1);
    }
}
