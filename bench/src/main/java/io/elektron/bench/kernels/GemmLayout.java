package io.elektron.bench.kernels;

/**
 * The three GEMMs of a Linear layer, as {@code io.elektron.core.ops.MatMul.linear} issues them (row-major):
 * forward y = x W^T (NT), input gradient dx = dy W (NN), weight gradient dW = dy^T x (TN).
 */
public enum GemmLayout {
    /** y [rows, out] = x [rows, in] W [out, in]^T */
    FORWARD_NT,
    /** dx [rows, in] = dy [rows, out] W [out, in] */
    DGRAD_NN,
    /** dW [out, in] = dy [rows, out]^T x [rows, in] */
    WGRAD_TN;

    /** {m, n, k, lda, ldb, ldc} for a Linear of this shape, and the transpose flags via {@link #transA()}. */
    public int[] dims(LinearShape s) {
        return switch (this) {
            case FORWARD_NT -> new int[]{s.rows, s.out, s.in, s.in, s.in, s.out};
            case DGRAD_NN -> new int[]{s.rows, s.in, s.out, s.out, s.in, s.in};
            case WGRAD_TN -> new int[]{s.out, s.in, s.rows, s.out, s.in, s.in};
        };
    }

    public boolean transA() {
        return this == WGRAD_TN;
    }

    public boolean transB() {
        return this == FORWARD_NT;
    }
}
