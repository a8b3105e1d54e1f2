package io.elektron.core.ops;

import io.elektron.core.Backend;
import io.elektron.core.Storage;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reductions to a scalar. Sums accumulate in double so long sums do not drift; the result stays on the input's device
 * (a one-element tensor), and so does the gradient flowing back through it.
 */
public final class Reductions {
    private Reductions() {
    }

    public static Tensor sum(Tensor x) {
        return reduce(x, "sum", 1);
    }

    public static Tensor mean(Tensor x) {
        return reduce(x, "mean", Math.max(1, x.numel()));
    }

    /** Sum of squares of all elements as a double on the host (no graph): norms for clipping, FGM and hooks. */
    public static double sumOfSquares(Tensor x) {
        return x.backend().sumOfSquares(x.storage(), 0, x.numel());
    }

    /**
     * The sum of squares of every element of every tensor, in double on the host: one batched call per backend, so the
     * host waits once (the global gradient norm, the finite-weights check), not once per tensor.
     */
    public static double sumOfSquares(Collection<Tensor> tensors) {
        Map<Backend, List<Tensor>> byBackend = new LinkedHashMap<>();
        for (Tensor t : tensors) byBackend.computeIfAbsent(t.backend(), b -> new ArrayList<>()).add(t);
        double total = 0;
        for (Map.Entry<Backend, List<Tensor>> e : byBackend.entrySet()) {
            List<Tensor> group = e.getValue();
            Storage[] storages = group.stream().map(Tensor::storage).toArray(Storage[]::new);
            long[] counts = group.stream().mapToLong(Tensor::numel).toArray();
            total += e.getKey().sumOfSquares(storages, counts);
        }
        return total;
    }

    /** sum(x) / divisor, whose backward adds gy / divisor to every element of x's gradient. */
    private static Tensor reduce(Tensor x, String name, long divisor) {
        Tensor out = Tensor.empty(x.backend());
        x.backend().sum(x.storage(), 0, x.numel(), divisor, out.storage(), 0);
        return Autograd.record(out, name, new Tensor[]{x}, gy ->
                x.backend().addScalar(x.numel(), gy.storage(), divisor, x.gradForAccumulation().storage()));
    }
}
