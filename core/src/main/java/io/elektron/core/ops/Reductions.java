package io.elektron.core.ops;

import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

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

    /** sum(x) / divisor, whose backward adds gy / divisor to every element of x's gradient. */
    private static Tensor reduce(Tensor x, String name, long divisor) {
        Tensor out = Tensor.empty(x.backend());
        x.backend().sum(x.storage(), 0, x.numel(), divisor, out.storage(), 0);
        return Autograd.record(out, name, new Tensor[]{x}, gy ->
                x.backend().addScalar(x.numel(), gy.storage(), divisor, x.gradForAccumulation().storage()));
    }
}
