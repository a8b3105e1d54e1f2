package io.elektron.core.spec;

import io.elektron.core.Backend.BinaryOp;
import io.elektron.core.GemmGroup;

/**
 * The {@link io.elektron.core.Backend} kernels that move, broadcast and batch rather than compute: strided copies,
 * axis swaps, broadcast arithmetic and its reduction, and the batched and grouped GEMMs, written as plainly as
 * {@link ReferenceKernels} writes the numeric ones (host arrays, one loop per index, no threads).
 *
 * <p>These kernels write only part of their destination (a block, or the positions an index reaches), so each takes
 * the destination's contents before the call and returns a new array with its contents after it.
 */
public final class ReferenceLayoutKernels {
    private ReferenceLayoutKernels() {
    }

    /** A [rows, cols] block of src copied (or, with accumulate, added) into dst, each with its own row stride. */
    public static float[] copy2d(float[] src, int srcOffset, int srcRowStride, float[] dst, int dstOffset,
                                 int dstRowStride, int rows, int cols, boolean accumulate) {
        float[] out = dst.clone();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int to = dstOffset + r * dstRowStride + c;
                float value = src[srcOffset + r * srcRowStride + c];
                out[to] = accumulate ? out[to] + value : value;
            }
        }
        return out;
    }

    /** src viewed as [outer, a, mid, b, inner] written as [outer, b, mid, a, inner] (added with accumulate). */
    public static float[] swapAxes(float[] src, float[] dst, int outer, int a, int mid, int b, int inner,
                                   boolean accumulate) {
        float[] out = dst.clone();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < a; i++) {
                for (int m = 0; m < mid; m++) {
                    for (int j = 0; j < b; j++) {
                        for (int e = 0; e < inner; e++) {
                            float value = src[((((o * a + i) * mid + m) * b + j) * inner) + e];
                            int to = (((o * b + j) * mid + m) * a + i) * inner + e;
                            out[to] = accumulate ? out[to] + value : value;
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * out (contiguous, outShape) = a op b, where element (i_0, ..., i_r) of an operand is at sum of i_d * strides[d]
     * (stride 0 on a dimension the operand is broadcast along).
     */
    public static float[] broadcastBinary(BinaryOp op, int[] outShape, float[] a, int[] aStrides, float[] b,
                                          int[] bStrides) {
        float[] out = new float[count(outShape)];
        int[] index = new int[outShape.length];
        for (int flat = 0; flat < out.length; flat++) {
            unravel(flat, outShape, index);
            float x = a[dot(index, aStrides)];
            float y = b[dot(index, bStrides)];
            out[flat] = switch (op) {
                case ADD -> x + y;
                case SUBTRACT -> x - y;
                case MULTIPLY -> x * y;
            };
        }
        return out;
    }

    /** dst after dst[sum of i_d * dstStrides[d]] += src[i] for every element i of the contiguous src (srcShape). */
    public static float[] reduceBroadcast(float[] src, int[] srcShape, float[] dst, int[] dstStrides) {
        double[] increments = new double[dst.length];
        int[] index = new int[srcShape.length];
        for (int flat = 0; flat < src.length; flat++) {
            unravel(flat, srcShape, index);
            increments[dot(index, dstStrides)] += src[flat];
        }
        float[] out = dst.clone();
        for (int i = 0; i < out.length; i++) out[i] = (float) (out[i] + increments[i]);
        return out;
    }

    /** C after {@code batch} GEMMs whose operands start strideX floats apart ({@link ReferenceKernels#gemm} each). */
    public static float[] gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                             float[] a, int aOffset, int lda, int strideA, float[] b, int bOffset,
                                             int ldb, int strideB, float beta, float[] c, int cOffset, int ldc,
                                             int strideC, int batch) {
        float[] out = c.clone();
        for (int i = 0; i < batch; i++) {
            ReferenceKernels.gemmInto(transA, transB, m, n, k, alpha, a, aOffset + i * strideA, lda,
                    b, bOffset + i * strideB, ldb, beta, out, cOffset + i * strideC, ldc);
        }
        return out;
    }

    /** C after the outer x inner GEMMs of a grid, GEMM (o, i) at xOffset + o * xOuterStride + i * xInnerStride. */
    public static float[] gemmBatchedGrid(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                          float[] a, int aOffset, int lda, int aOuterStride, int aInnerStride,
                                          float[] b, int bOffset, int ldb, int bOuterStride, int bInnerStride,
                                          float beta, float[] c, int cOffset, int ldc, int cOuterStride,
                                          int cInnerStride, int outer, int inner) {
        float[] out = c.clone();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                ReferenceKernels.gemmInto(transA, transB, m, n, k, alpha,
                        a, aOffset + o * aOuterStride + i * aInnerStride, lda,
                        b, bOffset + o * bOuterStride + i * bInnerStride, ldb,
                        beta, out, cOffset + o * cOuterStride + i * cInnerStride, ldc);
            }
        }
        return out;
    }

    /** C after every GEMM of the group, each with its own shape, offsets and leading dimensions. */
    public static float[] gemmGrouped(boolean transA, boolean transB, float alpha, float[] a, float[] b, float beta,
                                      float[] c, GemmGroup group) {
        float[] out = c.clone();
        for (int g = 0; g < group.count(); g++) {
            ReferenceKernels.gemmInto(transA, transB, group.m()[g], group.n()[g], group.k()[g], alpha,
                    a, (int) group.aOffsets()[g], group.lda()[g], b, (int) group.bOffsets()[g], group.ldb()[g],
                    beta, out, (int) group.cOffsets()[g], group.ldc()[g]);
        }
        return out;
    }

    private static int count(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** The row-major coordinates of element {@code flat} of {@code shape}, into {@code index}. */
    private static void unravel(int flat, int[] shape, int[] index) {
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
    }

    private static int dot(int[] index, int[] strides) {
        int at = 0;
        for (int d = 0; d < index.length; d++) at += index[d] * strides[d];
        return at;
    }
}
