package io.elektron.core.optim;

import io.elektron.core.Backend;
import io.elektron.core.Storage;
import io.elektron.core.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gradient clipping by the global L2 norm over all parameters (torch.nn.utils.clip_grad_norm_, HF max_grad_norm). */
public final class GradClipping {
    private GradClipping() {
    }

    /**
     * The global norm of all gradients (parameters without a gradient count as zero): one batched sum of squares per
     * backend, so one trip to the host per step on a device.
     */
    public static double globalNorm(List<Tensor> params) {
        Map<Backend, List<Tensor>> gradsByBackend = new LinkedHashMap<>();
        for (Tensor p : params) {
            if (p.grad() != null) gradsByBackend.computeIfAbsent(p.grad().backend(), b -> new ArrayList<>()).add(p.grad());
        }
        double sq = 0;
        for (Map.Entry<Backend, List<Tensor>> e : gradsByBackend.entrySet()) {
            List<Tensor> grads = e.getValue();
            Storage[] storages = new Storage[grads.size()];
            long[] counts = new long[grads.size()];
            for (int i = 0; i < storages.length; i++) {
                storages[i] = grads.get(i).storage();
                counts[i] = grads.get(i).numel();
            }
            sq += e.getKey().sumOfSquares(storages, counts);
        }
        return Math.sqrt(sq);
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
