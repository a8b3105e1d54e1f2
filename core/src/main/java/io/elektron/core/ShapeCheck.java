package io.elektron.core;

import java.util.Arrays;

/** Shape validation with messages that say what was expected and what arrived, before any native call. */
public final class ShapeCheck {
    private ShapeCheck() {
    }

    static int[] validShape(int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        }
        numel(shape);
        return shape.clone();
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, (long) d);
        }
        return n;
    }

    public static int normalizeDim(int dim, int rank, String op) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank) {
            throw new IllegalArgumentException(op + ": dimension " + dim + " out of range for rank " + rank);
        }
        return d;
    }

    public static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": expected equal shapes, got " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
    }

    public static void rank(String op, String what, Tensor t, int expected) {
        if (t.rank() != expected) {
            throw new IllegalArgumentException(op + ": expected " + what + " of rank " + expected + ", got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    public static void minRank(String op, String what, Tensor t, int min) {
        if (t.rank() < min) {
            throw new IllegalArgumentException(op + ": expected " + what + " of rank >= " + min + ", got shape "
                    + Arrays.toString(t.shape()));
        }
    }

    public static void sameDevice(String op, Tensor... tensors) {
        Device first = null;
        for (Tensor t : tensors) {
            if (t == null) continue;
            if (first == null) first = t.device();
            else if (!t.device().equals(first)) {
                throw new IllegalArgumentException(op + ": tensors on different devices (" + first + " and "
                        + t.device() + "); copy one over with tensor.to(backend) first");
            }
        }
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
