package io.elektron.core.ops;

import io.elektron.core.Backend;
import io.elektron.core.Backend.BinaryOp;
import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

import java.util.Arrays;

/**
 * Elementwise add / subtract / multiply with NumPy broadcasting (trailing dimensions aligned, size-1 or missing
 * dimensions repeated), and multiplication by a constant. The backward of a broadcast sums the gradient over the
 * repeated dimensions.
 */
public final class Arithmetic {
    private Arithmetic() {
    }

    public static Tensor add(Tensor a, Tensor b) {
        return binary("add", BinaryOp.ADD, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return binary("sub", BinaryOp.SUBTRACT, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return binary("mul", BinaryOp.MULTIPLY, a, b);
    }

    /** out = factor * x. */
    public static Tensor scale(Tensor x, float factor) {
        Tensor out = Tensor.empty(x.backend(), x.shape());
        x.backend().scale(x.numel(), factor, x.storage(), out.storage());
        return Autograd.record(out, "scale", new Tensor[]{x}, gy -> {
            if (x.requiresGrad()) x.backend().axpy(x.numel(), factor, gy.storage(), 0, x.gradForAccumulation().storage(), 0);
        });
    }

    /** The broadcast shape of a and b, or a clear error. */
    public static int[] broadcastShape(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Strides that address a contiguous tensor of {@code shape} inside {@code outShape}: 0 on broadcast dims. */
    static int[] broadcastStrides(int[] shape, int[] outShape) {
        int rank = outShape.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            int outDim = i + (rank - shape.length);
            strides[outDim] = shape[i] == 1 && outShape[outDim] != 1 ? 0 : stride;
            stride *= shape[i];
        }
        return strides;
    }

    private static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        ShapeCheck.sameDevice(name, a, b);
        int[] outShape = broadcastShape(name, a.shape(), b.shape());
        int[] aStrides = broadcastStrides(a.shape(), outShape);
        int[] bStrides = broadcastStrides(b.shape(), outShape);
        Backend backend = a.backend();
        Tensor out = Tensor.empty(backend, outShape);
        backend.broadcastBinary(op, outShape, a.storage(), aStrides, b.storage(), bStrides, out.storage());
        return Autograd.record(out, name, new Tensor[]{a, b}, gy -> {
            if (a.requiresGrad()) {
                Tensor contribution = op == BinaryOp.MULTIPLY ? product(gy, b, bStrides, outShape) : gy;
                backend.reduceBroadcast(contribution.storage(), outShape, a.gradForAccumulation().storage(), aStrides);
            }
            if (b.requiresGrad()) {
                Tensor contribution = switch (op) {
                    case ADD -> gy;
                    case SUBTRACT -> scaleNoGrad(gy, -1f);
                    case MULTIPLY -> product(gy, a, aStrides, outShape);
                };
                backend.reduceBroadcast(contribution.storage(), outShape, b.gradForAccumulation().storage(), bStrides);
            }
        });
    }

    /** gy * other (other broadcast to gy's shape), without recording. */
    private static Tensor product(Tensor gy, Tensor other, int[] otherStrides, int[] outShape) {
        Tensor out = Tensor.empty(gy.backend(), outShape);
        int[] contiguous = broadcastStrides(outShape, outShape);
        gy.backend().broadcastBinary(BinaryOp.MULTIPLY, outShape, gy.storage(), contiguous, other.storage(),
                otherStrides, out.storage());
        return out;
    }

    private static Tensor scaleNoGrad(Tensor x, float factor) {
        Tensor out = Tensor.empty(x.backend(), x.shape());
        x.backend().scale(x.numel(), factor, x.storage(), out.storage());
        return out;
    }
}
