package io.elektron.core.ops;

import io.elektron.core.Backend;
import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/**
 * Matrix products through the backend's GEMM. Leading dimensions of the left operand are flattened into rows, so a
 * [B, T, in] activation times a [in, out] matrix is one GEMM, not B of them.
 *
 * <p>Backward of C = op(A) op(B): dA = dC op(B)^T (transposed back if A was), dB = op(A)^T dC — expressed as GEMMs
 * with transpose flags and beta = 1 so they accumulate into the gradients without temporaries.
 */
public final class MatMul {
    private MatMul() {
    }

    /**
     * a [..., M, K] (or [K, M] with transA, rank 2 only) times b [K, N] (or [N, K] with transB) -> [..., M, N].
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        ShapeCheck.sameDevice("matmul", a, b);
        ShapeCheck.minRank("matmul", "a", a, 2);
        ShapeCheck.rank("matmul", "b", b, 2);
        if (transA && a.rank() != 2) {
            throw new IllegalArgumentException("matmul: transA needs a 2-D a, got " + ShapeCheck.str(a.shape()));
        }
        int[] as = a.shape();
        int m = transA ? as[1] : (int) (a.numel() / as[as.length - 1]);
        int k = transA ? as[0] : as[as.length - 1];
        int kb = transB ? b.size(1) : b.size(0);
        int n = transB ? b.size(0) : b.size(1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: a " + ShapeCheck.str(as)
                    + (transA ? "^T" : "") + " has K=" + k + ", b " + ShapeCheck.str(b.shape()) + (transB ? "^T" : "")
                    + " has K=" + kb);
        }
        int[] outShape = as.clone();
        if (transA) outShape[0] = m;
        outShape[outShape.length - 1] = n;
        Backend be = a.backend();
        Tensor out = Tensor.empty(be, outShape);
        int lda = as[as.length - 1];
        int ldb = b.size(1);
        be.gemm(transA, transB, m, n, k, 1f, a.storage(), 0, lda, b.storage(), 0, ldb, 0f, out.storage(), 0, n);
        return Autograd.record(out, "matmul", new Tensor[]{a, b}, gy -> {
            if (a.requiresGrad()) {
                Tensor ga = a.gradForAccumulation();
                if (!transA) {
                    // dA [M, K] += dC [M, N] op(B)^T
                    be.gemm(false, !transB, m, k, n, 1f, gy.storage(), 0, n, b.storage(), 0, ldb, 1f, ga.storage(), 0, lda);
                } else {
                    // A is [K, M]: dA [K, M] += op(B) dC^T
                    be.gemm(transB, true, k, m, n, 1f, b.storage(), 0, ldb, gy.storage(), 0, n, 1f, ga.storage(), 0, lda);
                }
            }
            if (b.requiresGrad()) {
                Tensor gb = b.gradForAccumulation();
                if (!transB) {
                    // dB [K, N] += op(A)^T dC
                    be.gemm(!transA, false, k, n, m, 1f, a.storage(), 0, lda, gy.storage(), 0, n, 1f, gb.storage(), 0, ldb);
                } else {
                    // B is [N, K]: dB [N, K] += dC^T op(A)
                    be.gemm(true, transA, n, k, m, 1f, gy.storage(), 0, n, a.storage(), 0, lda, 1f, gb.storage(), 0, ldb);
                }
            }
        });
    }

    /** Batched: a [batch, M, K] times b [batch, K, N] with per-operand transpose flags -> [batch, M, N]. */
    public static Tensor batchedMatmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        ShapeCheck.sameDevice("batchedMatmul", a, b);
        ShapeCheck.rank("batchedMatmul", "a", a, 3);
        ShapeCheck.rank("batchedMatmul", "b", b, 3);
        int batch = a.size(0);
        if (b.size(0) != batch) {
            throw new IllegalArgumentException("batchedMatmul: batch sizes differ: a " + ShapeCheck.str(a.shape())
                    + ", b " + ShapeCheck.str(b.shape()));
        }
        int m = transA ? a.size(2) : a.size(1);
        int k = transA ? a.size(1) : a.size(2);
        int kb = transB ? b.size(2) : b.size(1);
        int n = transB ? b.size(1) : b.size(2);
        if (k != kb) {
            throw new IllegalArgumentException("batchedMatmul: inner dimensions differ: a " + ShapeCheck.str(a.shape())
                    + (transA ? "^T" : "") + " K=" + k + ", b " + ShapeCheck.str(b.shape()) + (transB ? "^T" : "") + " K=" + kb);
        }
        Backend be = a.backend();
        Tensor out = Tensor.empty(be, batch, m, n);
        int lda = a.size(2);
        int ldb = b.size(2);
        long sa = (long) a.size(1) * a.size(2);
        long sb = (long) b.size(1) * b.size(2);
        long sc = (long) m * n;
        be.gemmStridedBatched(transA, transB, m, n, k, 1f, a.storage(), 0, lda, sa, b.storage(), 0, ldb, sb,
                0f, out.storage(), 0, n, sc, batch);
        return Autograd.record(out, "batchedMatmul", new Tensor[]{a, b}, gy -> {
            if (a.requiresGrad()) {
                Tensor ga = a.gradForAccumulation();
                if (!transA) {
                    be.gemmStridedBatched(false, !transB, m, k, n, 1f, gy.storage(), 0, n, sc, b.storage(), 0, ldb, sb,
                            1f, ga.storage(), 0, lda, sa, batch);
                } else {
                    be.gemmStridedBatched(transB, true, k, m, n, 1f, b.storage(), 0, ldb, sb, gy.storage(), 0, n, sc,
                            1f, ga.storage(), 0, lda, sa, batch);
                }
            }
            if (b.requiresGrad()) {
                Tensor gb = b.gradForAccumulation();
                if (!transB) {
                    be.gemmStridedBatched(!transA, false, k, n, m, 1f, a.storage(), 0, lda, sa, gy.storage(), 0, n, sc,
                            1f, gb.storage(), 0, ldb, sb, batch);
                } else {
                    be.gemmStridedBatched(true, transA, n, k, m, 1f, gy.storage(), 0, n, sc, a.storage(), 0, lda, sa,
                            1f, gb.storage(), 0, ldb, sb, batch);
                }
            }
        });
    }

    /**
     * y = x W^T + b, the Linear layer: x [..., in], weight [out, in] (PyTorch layout), bias [out] or null. One GEMM
     * with the bias added in the same pass over the output rows.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        ShapeCheck.sameDevice("linear", x, weight, bias);
        ShapeCheck.minRank("linear", "input", x, 1);
        ShapeCheck.rank("linear", "weight", weight, 2);
        int in = weight.size(1);
        int outFeatures = weight.size(0);
        if (x.size(-1) != in) {
            throw new IllegalArgumentException("linear: input " + ShapeCheck.str(x.shape()) + " has " + x.size(-1)
                    + " features, weight " + ShapeCheck.str(weight.shape()) + " expects " + in);
        }
        if (bias != null && (bias.rank() != 1 || bias.size(0) != outFeatures)) {
            throw new IllegalArgumentException("linear: bias " + ShapeCheck.str(bias.shape()) + " should be [" + outFeatures + "]");
        }
        int rows = (int) (x.numel() / in);
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = outFeatures;
        Backend be = x.backend();
        Tensor out = Tensor.empty(be, outShape);
        // With a bias, C starts as the bias in every row and the GEMM adds into it (beta 1): one write pass, where
        // beta 0 plus a bias pass would cost BLAS's zeroing pass and a read-modify-write pass over the output.
        if (bias != null) be.copy2d(bias.storage(), 0, 0, out.storage(), 0, outFeatures, rows, outFeatures, false);
        be.gemm(false, true, rows, outFeatures, in, 1f, x.storage(), 0, in, weight.storage(), 0, in,
                bias != null ? 1f : 0f, out.storage(), 0, outFeatures);
        return Autograd.record(out, "linear", new Tensor[]{x, weight, bias}, gy -> {
            if (x.requiresGrad()) {
                // dx [rows, in] += dy [rows, out] W [out, in]
                be.gemm(false, false, rows, in, outFeatures, 1f, gy.storage(), 0, outFeatures, weight.storage(), 0, in,
                        1f, x.gradForAccumulation().storage(), 0, in);
            }
            if (weight.requiresGrad()) {
                // dW [out, in] += dy^T x
                be.gemm(true, false, outFeatures, in, rows, 1f, gy.storage(), 0, outFeatures, x.storage(), 0, in,
                        1f, weight.gradForAccumulation().storage(), 0, in);
            }
            if (bias != null && bias.requiresGrad()) {
                be.sumRows(rows, outFeatures, gy.storage(), bias.gradForAccumulation().storage());
            }
        });
    }
}
