package io.elektron.core.optim;

import io.elektron.core.Tensor;
import io.elektron.core.ops.Reductions;

import java.util.ArrayList;
import java.util.List;

/** Gradient clipping by the global L2 norm over all parameters (torch.nn.utils.clip_grad_norm_, HF max_grad_norm). */
public final class GradClipping {
    private GradClipping() {
    }

    /**
     * The global norm of all gradients (parameters without a gradient count as zero): one batched sum of squares per
     * backend, so one trip to the host per step on a device.
     */
    public static double globalNorm(List<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params) if (p.grad() != null) grads.add(p.grad());
        return Math.sqrt(Reductions.sumOfSquares(grads));
    }

    /** Scales all gradients by maxNorm / (norm + 1e-6) when that is below 1; returns the norm before clipping. */
    public static double clipGlobalNorm(List<Tensor> params, double maxNorm) {
        double norm = globalNorm(params);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1.0) {
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g != null) g.backend().scale(g.numel(), (float) coef, g.storage(), g.storage());
            }
        }
        return norm;
    }
}
