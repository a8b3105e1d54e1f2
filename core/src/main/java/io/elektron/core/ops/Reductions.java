package io.elektron.core.ops;

import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/** Reductions to a scalar. Sums accumulate in double so long sums do not drift. */
public final class Reductions {
    private Reductions() {
    }

    public static Tensor sum(Tensor x) {
        Tensor out = Tensor.scalar(x.backend(), (float) x.backend().sum(x.storage(), 0, x.numel()));
        return Autograd.record(out, "sum", new Tensor[]{x}, gy -> addConstant(x, gy.item()));
    }

    public static Tensor mean(Tensor x) {
        long n = Math.max(1, x.numel());
        Tensor out = Tensor.scalar(x.backend(), (float) (x.backend().sum(x.storage(), 0, x.numel()) / n));
        return Autograd.record(out, "mean", new Tensor[]{x}, gy -> addConstant(x, gy.item() / n));
    }

    /** Sum of squares of all elements as a double (no graph): norms for clipping and FGM. */
    public static double sumOfSquares(Tensor x) {
        return x.backend().sumOfSquares(x.storage(), 0, x.numel());
    }

    private static void addConstant(Tensor x, float value) {
        Tensor g = x.gradForAccumulation();
        Tensor ones = Tensor.full(x.backend(), 1f, x.shape());
        x.backend().axpy(x.numel(), value, ones.storage(), 0, g.storage(), 0);
    }
}
