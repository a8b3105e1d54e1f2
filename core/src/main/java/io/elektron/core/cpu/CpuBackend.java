package io.elektron.core.cpu;

import io.elektron.core.spec.CounterRandom;
import io.elektron.core.spec.GeluMath;

import io.elektron.core.Backend;
import io.elektron.core.Device;
import io.elektron.core.GemmGroup;
import io.elektron.core.IndexStorage;
import io.elektron.core.RowSegments;
import io.elektron.core.Storage;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The CPU backend: GEMMs through OpenBLAS ({@link CpuGemm}: JavaCPP, native pointers, one JNI call per GEMM, and how a
 * GEMM or a grid of them is shared out over the cores), everything else as Java loops over direct buffers, split over
 * cores by {@link CpuThreads} where a loop is large enough to pay for it.
 *
 * <p>Sections follow the {@link Backend} contract: movement, GEMM, elementwise, softmax/norm/dropout, embedding,
 * losses, optimizer.
 */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
        // CpuGemm's settings are initialised before this line runs (its own class initialisation), so OpenBLAS gets
        // the configured thread count, not a 0 read too early.
        openblas_nolapack.blas_set_num_threads(CpuGemm.BLAS_THREADS);
        KernelWarmup.startInBackground();
    }

    public static CpuBackend get() {
        return INSTANCE;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public String describe() {
        int blas = openblas_nolapack.blas_get_num_threads();
        return "cpu (" + CpuThreads.THREADS + " threads; OpenBLAS " + blas + " thread(s) per call, "
                + (blas > 1 ? "large GEMMs split by OpenBLAS" : "GEMMs split by Elektron") + "; " + Simd.describe() + ")";
    }

    /** Every CPU kernel has finished when its call returns. */
    @Override
    public void synchronize() {
    }

    @Override
    public Storage allocate(long n) {
        return new CpuStorage(n);
    }

    @Override
    public IndexStorage uploadIndices(int[] ids) {
        return new CpuIndexStorage(ids);
    }

    @Override
    public Storage allocateUninitialized(long n) {
        return new CpuStorage(n, false);
    }

    private static FloatBuffer buf(Storage s) {
        return ((CpuStorage) s).buffer();
    }

    private static int[] ids(IndexStorage s) {
        return ((CpuIndexStorage) s).ids();
    }

    /** A one-element storage's value: the incoming gradient of a loss or reduction. */
    private static double scalar(Storage s) {
        return buf(s).get(0);
    }

    private static ByteBuffer bytes(Storage s) {
        return s == null ? null : ((CpuStorage) s).bytes();
    }

    /** True when the SIMD kernels can take these storages (null entries are optional operands and do not count). */
    private static boolean simd(Storage... storages) {
        if (!Simd.ENABLED) return false;
        for (Storage s : storages) {
            if (s != null && ((CpuStorage) s).bytes() == null) return false;
        }
        return true;
    }

    // ======================================================================== movement

    @Override
    public void fill(Storage s, long offset, long n, float value) {
        if (Float.floatToRawIntBits(value) == 0) {
            ((CpuStorage) s).zero(offset, n);
            return;
        }
        FloatBuffer b = buf(s);
        int end = Math.toIntExact(offset + n);
        for (int i = (int) offset; i < end; i++) b.put(i, value);
    }

    @Override
    public void copy(Storage src, long srcOffset, Storage dst, long dstOffset, long n) {
        FloatBuffer from = buf(src).duplicate().position((int) srcOffset).limit((int) (srcOffset + n));
        buf(dst).duplicate().position((int) dstOffset).put(from);
    }

    @Override
    public void upload(float[] src, int srcOffset, Storage dst, long dstOffset, int n) {
        buf(dst).duplicate().position((int) dstOffset).put(src, srcOffset, n);
    }

    @Override
    public void download(Storage src, long srcOffset, float[] dst, int dstOffset, int n) {
        buf(src).duplicate().position((int) srcOffset).get(dst, dstOffset, n);
    }

    @Override
    public void copy2d(Storage src, long srcOffset, int srcRowStride, Storage dst, long dstOffset, int dstRowStride,
                       int rows, int cols, boolean accumulate) {
        FloatBuffer s = buf(src);
        FloatBuffer d = buf(dst);
        if (simd(src, dst)) {
            ByteBuffer sb = bytes(src);
            ByteBuffer db = bytes(dst);
            CpuThreads.parallelFor(rows, cols, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    VectorKernels.copyRow(sb, (int) (srcOffset + (long) r * srcRowStride), db,
                            (int) (dstOffset + (long) r * dstRowStride), cols, accumulate);
                }
            });
            return;
        }
        CpuThreads.parallelFor(rows, cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int si = (int) (srcOffset + (long) r * srcRowStride);
                int di = (int) (dstOffset + (long) r * dstRowStride);
                if (accumulate) {
                    for (int c = 0; c < cols; c++) d.put(di + c, d.get(di + c) + s.get(si + c));
                } else {
                    for (int c = 0; c < cols; c++) d.put(di + c, s.get(si + c));
                }
            }
        });
    }

    @Override
    public void swapAxes(Storage src, Storage dst, int outer, int a, int mid, int b, int inner, boolean accumulate) {
        FloatBuffer s = buf(src);
        FloatBuffer d = buf(dst);
        CpuThreads.parallelFor(outer * a, (long) mid * b * inner, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r / a;
                int i = r % a;
                for (int m = 0; m < mid; m++) {
                    for (int j = 0; j < b; j++) {
                        int si = ((((o * a + i) * mid + m) * b) + j) * inner;
                        int di = ((((o * b + j) * mid + m) * a) + i) * inner;
                        if (accumulate) {
                            for (int e = 0; e < inner; e++) d.put(di + e, d.get(di + e) + s.get(si + e));
                        } else {
                            for (int e = 0; e < inner; e++) d.put(di + e, s.get(si + e));
                        }
                    }
                }
            }
        });
    }

    // ======================================================================== GEMM (OpenBLAS, split by CpuGemm)

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, long aOffset, int lda, Storage b, long bOffset, int ldb,
                     float beta, Storage c, long cOffset, int ldc) {
        CpuGemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   Storage a, long aOffset, int lda, long strideA,
                                   Storage b, long bOffset, int ldb, long strideB,
                                   float beta, Storage c, long cOffset, int ldc, long strideC, int batch) {
        CpuGemm.gemmBatchedGrid(transA, transB, m, n, k, alpha, a, aOffset, lda, 0, strideA, b, bOffset, ldb, 0,
                strideB, beta, c, cOffset, ldc, 0, strideC, 1, batch);
    }

    @Override
    public void gemmBatchedGrid(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                Storage a, long aOffset, int lda, long aOuterStride, long aInnerStride,
                                Storage b, long bOffset, int ldb, long bOuterStride, long bInnerStride,
                                float beta, Storage c, long cOffset, int ldc, long cOuterStride, long cInnerStride,
                                int outer, int inner) {
        CpuGemm.gemmBatchedGrid(transA, transB, m, n, k, alpha, a, aOffset, lda, aOuterStride, aInnerStride, b, bOffset,
                ldb, bOuterStride, bInnerStride, beta, c, cOffset, ldc, cOuterStride, cInnerStride, outer, inner);
    }

    @Override
    public void gemmGrouped(boolean transA, boolean transB, float alpha, Storage a, Storage b, float beta, Storage c,
                            GemmGroup group) {
        if (CpuGemm.runsSideBySide(group)) {
            CpuGemm.gemmGroupedSideBySide(transA, transB, alpha, a, b, beta, c, group);
        } else {
            Backend.super.gemmGrouped(transA, transB, alpha, a, b, beta, c, group);
        }
    }

    // ======================================================================== elementwise

    @Override
    public void broadcastBinary(BinaryOp op, int[] outShape, Storage a, int[] aStrides, Storage b, int[] bStrides,
                                Storage out) {
        FloatBuffer ab = buf(a);
        FloatBuffer bb = buf(b);
        FloatBuffer ob = buf(out);
        int rank = outShape.length;
        int inner = rank == 0 ? 1 : outShape[rank - 1];
        int aInner = rank == 0 ? 0 : aStrides[rank - 1];
        int bInner = rank == 0 ? 0 : bStrides[rank - 1];
        int outer = 1;
        for (int d = 0; d < rank - 1; d++) outer *= outShape[d];
        boolean vector = (aInner == 0 || aInner == 1) && (bInner == 0 || bInner == 1) && simd(a, b, out);
        int opCode = op == BinaryOp.ADD ? VectorKernels.ADD : op == BinaryOp.SUBTRACT ? VectorKernels.SUBTRACT
                : VectorKernels.MULTIPLY;
        CpuThreads.parallelFor(outer, inner, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                // Decompose the outer row index into coordinates to find each operand's row start.
                long aBase = 0;
                long bBase = 0;
                int rest = o;
                for (int d = rank - 2; d >= 0; d--) {
                    int coord = rest % outShape[d];
                    rest /= outShape[d];
                    aBase += (long) coord * aStrides[d];
                    bBase += (long) coord * bStrides[d];
                }
                int ob0 = o * inner;
                int ai = (int) aBase;
                int bi = (int) bBase;
                if (vector) {
                    VectorKernels.binaryRow(opCode, bytes(a), ai, aInner == 0, bytes(b), bi, bInner == 0, bytes(out),
                            ob0, inner);
                    continue;
                }
                switch (op) {
                    case ADD -> {
                        for (int j = 0; j < inner; j++) ob.put(ob0 + j, ab.get(ai + j * aInner) + bb.get(bi + j * bInner));
                    }
                    case SUBTRACT -> {
                        for (int j = 0; j < inner; j++) ob.put(ob0 + j, ab.get(ai + j * aInner) - bb.get(bi + j * bInner));
                    }
                    case MULTIPLY -> {
                        for (int j = 0; j < inner; j++) ob.put(ob0 + j, ab.get(ai + j * aInner) * bb.get(bi + j * bInner));
                    }
                }
            }
        });
    }

    @Override
    public void reduceBroadcast(Storage src, int[] srcShape, Storage dst, int[] dstStrides) {
        if (isContiguous(srcShape, dstStrides)) {
            // Same shape (a residual add's backward): a plain parallel dst += src.
            long n = 1;
            for (int d : srcShape) n *= d;
            axpy(n, 1f, src, 0, dst, 0);
            return;
        }
        // Serial on purpose: several source elements add into one destination element.
        FloatBuffer s = buf(src);
        FloatBuffer d = buf(dst);
        int rank = srcShape.length;
        int inner = rank == 0 ? 1 : srcShape[rank - 1];
        int dInner = rank == 0 ? 0 : dstStrides[rank - 1];
        int outer = 1;
        for (int k = 0; k < rank - 1; k++) outer *= srcShape[k];
        for (int o = 0; o < outer; o++) {
            long dBase = 0;
            int rest = o;
            for (int k = rank - 2; k >= 0; k--) {
                int coord = rest % srcShape[k];
                rest /= srcShape[k];
                dBase += (long) coord * dstStrides[k];
            }
            int s0 = o * inner;
            int di = (int) dBase;
            if (dInner == 0) {
                float acc = 0f;
                for (int j = 0; j < inner; j++) acc += s.get(s0 + j);
                d.put(di, d.get(di) + acc);
            } else {
                for (int j = 0; j < inner; j++) d.put(di + j * dInner, d.get(di + j * dInner) + s.get(s0 + j));
            }
        }
    }

    /** True when strides address a contiguous row-major tensor of exactly this shape (no broadcast dimension). */
    private static boolean isContiguous(int[] shape, int[] strides) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    @Override
    public void axpy(long n, float alpha, Storage x, long xOffset, Storage y, long yOffset) {
        FloatBuffer xb = buf(x);
        FloatBuffer yb = buf(y);
        int xo = (int) xOffset;
        int yo = (int) yOffset;
        if (simd(x, y)) {
            ByteBuffer xv = bytes(x);
            ByteBuffer yv = bytes(y);
            CpuThreads.parallelFor((int) n, 1, (i0, i1) -> VectorKernels.axpy(alpha, xv, xo, yv, yo, i0, i1));
            return;
        }
        CpuThreads.parallelFor((int) n, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) yb.put(yo + i, yb.get(yo + i) + alpha * xb.get(xo + i));
        });
    }

    @Override
    public void scale(long n, float alpha, Storage x, Storage out) {
        if (simd(x, out)) {
            CpuThreads.parallelFor((int) n, 1, (i0, i1) -> VectorKernels.scale(alpha, bytes(x), bytes(out), i0, i1));
            return;
        }
        FloatBuffer xb = buf(x);
        FloatBuffer ob = buf(out);
        CpuThreads.parallelFor((int) n, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) ob.put(i, alpha * xb.get(i));
        });
    }

    @Override
    public void multiply(long n, Storage x, Storage y, Storage out, boolean accumulate) {
        if (simd(x, y, out)) {
            CpuThreads.parallelFor((int) n, 1,
                    (i0, i1) -> VectorKernels.multiply(bytes(x), bytes(y), bytes(out), accumulate, i0, i1));
            return;
        }
        FloatBuffer xb = buf(x);
        FloatBuffer yb = buf(y);
        FloatBuffer ob = buf(out);
        CpuThreads.parallelFor((int) n, 1, (i0, i1) -> {
            if (accumulate) {
                for (int i = i0; i < i1; i++) ob.put(i, ob.get(i) + xb.get(i) * yb.get(i));
            } else {
                for (int i = i0; i < i1; i++) ob.put(i, xb.get(i) * yb.get(i));
            }
        });
    }

    @Override
    public void geluForward(long n, Storage x, Storage out) {
        if (simd(x, out)) {
            CpuThreads.parallelFor((int) n, 8, (i0, i1) -> VectorKernels.gelu(bytes(x), bytes(out), i0, i1));
            return;
        }
        FloatBuffer xb = buf(x);
        FloatBuffer ob = buf(out);
        CpuThreads.parallelFor((int) n, 8, (i0, i1) -> {
            for (int i = i0; i < i1; i++) ob.put(i, GeluMath.gelu(xb.get(i)));
        });
    }

    @Override
    public void geluBackward(long n, Storage x, Storage gy, Storage gx) {
        if (simd(x, gy, gx)) {
            CpuThreads.parallelFor((int) n, 8,
                    (i0, i1) -> VectorKernels.geluBackward(bytes(x), bytes(gy), bytes(gx), i0, i1));
            return;
        }
        FloatBuffer xb = buf(x);
        FloatBuffer gyb = buf(gy);
        FloatBuffer gxb = buf(gx);
        CpuThreads.parallelFor((int) n, 8, (i0, i1) -> {
            for (int i = i0; i < i1; i++) gxb.put(i, gxb.get(i) + gyb.get(i) * GeluMath.geluDerivative(xb.get(i)));
        });
    }

    @Override
    public void tanhForward(long n, Storage x, Storage out) {
        FloatBuffer xb = buf(x);
        FloatBuffer ob = buf(out);
        CpuThreads.parallelFor((int) n, 8, (i0, i1) -> {
            for (int i = i0; i < i1; i++) ob.put(i, (float) Math.tanh(xb.get(i)));
        });
    }

    @Override
    public void tanhBackward(long n, Storage y, Storage gy, Storage gx) {
        FloatBuffer yb = buf(y);
        FloatBuffer gyb = buf(gy);
        FloatBuffer gxb = buf(gx);
        CpuThreads.parallelFor((int) n, 1, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float v = yb.get(i);
                gxb.put(i, gxb.get(i) + gyb.get(i) * (1f - v * v));
            }
        });
    }


    @Override
    public void sumRows(int rows, int cols, Storage src, Storage dst) {
        if (simd(src, dst)) {
            CpuThreads.parallelFor(cols, rows,
                    (c0, c1) -> VectorKernels.sumRows(bytes(src), rows, cols, bytes(dst), c0, c1));
            return;
        }
        FloatBuffer s = buf(src);
        FloatBuffer d = buf(dst);
        // Parallel over columns: each thread owns a disjoint slice of dst, so no two threads add into one element.
        CpuThreads.parallelFor(cols, rows, (c0, c1) -> {
            double[] acc = new double[c1 - c0];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int c = c0; c < c1; c++) acc[c - c0] += s.get(base + c);
            }
            for (int c = c0; c < c1; c++) d.put(c, d.get(c) + (float) acc[c - c0]);
        });
    }

    // ======================================================================== softmax / norm / dropout

    @Override
    public void softmaxForward(int rows, int cols, Storage x, float scale, Storage mask, int rowsPerMaskRow,
                               Storage out) {
        if (simd(x, mask, out)) {
            CpuThreads.parallelFor(rows, cols * 4L, (r0, r1) -> VectorKernels.softmaxForward(bytes(x), scale,
                    bytes(mask), rowsPerMaskRow, bytes(out), cols, r0, r1));
            return;
        }
        FloatBuffer xb = buf(x);
        FloatBuffer mb = mask == null ? null : buf(mask);
        FloatBuffer ob = buf(out);
        CpuThreads.parallelFor(rows, cols * 4L,
                (r0, r1) -> softmaxRows(xb, scale, mb, rowsPerMaskRow, ob, 0, cols, r0, r1));
    }

    @Override
    public void softmaxForwardSegments(RowSegments segments, Storage x, float scale, Storage out) {
        long[] offsets = segments.offsets();
        int[] rows = segments.rows();
        int[] cols = segments.cols();
        long cost = Math.max(1, segments.elements() * 4 / Math.max(1, segments.count()));
        boolean vector = simd(x, out);
        CpuThreads.parallelFor(segments.count(), cost, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                if (vector) {
                    VectorKernels.softmaxForward(bytes(x), scale, null, 1, bytes(out), (int) offsets[s], cols[s], 0,
                            rows[s]);
                } else {
                    softmaxRows(buf(x), scale, null, 1, buf(out), (int) offsets[s], cols[s], 0, rows[s]);
                }
            }
        });
    }

    @Override
    public void softmaxBackwardSegments(RowSegments segments, Storage y, Storage gy, float scale, Storage gx) {
        long[] offsets = segments.offsets();
        int[] rows = segments.rows();
        int[] cols = segments.cols();
        long cost = Math.max(1, segments.elements() * 3 / Math.max(1, segments.count()));
        boolean vector = simd(y, gy, gx);
        CpuThreads.parallelFor(segments.count(), cost, (s0, s1) -> {
            for (int s = s0; s < s1; s++) {
                if (vector) {
                    VectorKernels.softmaxBackward(bytes(y), bytes(gy), scale, bytes(gx), (int) offsets[s], cols[s], 0,
                            rows[s]);
                } else {
                    softmaxBackwardRows(buf(y), buf(gy), scale, buf(gx), (int) offsets[s], cols[s], 0, rows[s]);
                }
            }
        });
    }

    /** Scalar rows [r0, r1) of softmax(scale * x + mask), rows starting {@code offset} floats in. */
    private static void softmaxRows(FloatBuffer xb, float scale, FloatBuffer mb, int rowsPerMaskRow, FloatBuffer ob,
                                    int offset, int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = offset + r * cols;
            int maskBase = mb == null ? 0 : (r / rowsPerMaskRow) * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                float v = scale * xb.get(base + c);
                if (mb != null) v += mb.get(maskBase + c);
                ob.put(base + c, v);
                if (v > max) max = v;
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(ob.get(base + c) - max);
                ob.put(base + c, e);
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int c = 0; c < cols; c++) ob.put(base + c, ob.get(base + c) * inv);
        }
    }

    @Override
    public void softmaxBackward(int rows, int cols, Storage y, Storage gy, float scale, Storage gx) {
        if (simd(y, gy, gx)) {
            CpuThreads.parallelFor(rows, cols * 3L,
                    (r0, r1) -> VectorKernels.softmaxBackward(bytes(y), bytes(gy), scale, bytes(gx), cols, r0, r1));
            return;
        }
        FloatBuffer yb = buf(y);
        FloatBuffer gyb = buf(gy);
        FloatBuffer gxb = buf(gx);
        CpuThreads.parallelFor(rows, cols * 3L, (r0, r1) -> softmaxBackwardRows(yb, gyb, scale, gxb, 0, cols, r0, r1));
    }

    /** Scalar rows [r0, r1) of gx += scale * y * (gy - sum(gy * y)), rows starting {@code offset} floats in. */
    private static void softmaxBackwardRows(FloatBuffer yb, FloatBuffer gyb, float scale, FloatBuffer gxb, int offset,
                                            int cols, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int base = offset + r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += (double) gyb.get(base + c) * yb.get(base + c);
            float fdot = (float) dot;
            for (int c = 0; c < cols; c++) {
                int i = base + c;
                gxb.put(i, gxb.get(i) + scale * yb.get(i) * (gyb.get(i) - fdot));
            }
        }
    }

    @Override
    public void layerNormForward(int rows, int cols, Storage x, Storage weight, Storage bias, float eps,
                                 Storage out, Storage mean, Storage rstd) {
        if (simd(x, weight, bias, out, mean, rstd)) {
            CpuThreads.parallelFor(rows, cols * 4L, (r0, r1) -> VectorKernels.layerNormForward(bytes(x),
                    bytes(weight), bytes(bias), eps, bytes(out), bytes(mean), bytes(rstd), cols, r0, r1));
            return;
        }
        FloatBuffer xb = buf(x);
        FloatBuffer wb = buf(weight);
        FloatBuffer bb = buf(bias);
        FloatBuffer ob = buf(out);
        FloatBuffer mb = buf(mean);
        FloatBuffer rb = buf(rstd);
        CpuThreads.parallelFor(rows, cols * 4L, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = r * cols;
                double sum = 0;
                for (int c = 0; c < cols; c++) sum += xb.get(base + c);
                double mu = sum / cols;
                double var = 0;
                for (int c = 0; c < cols; c++) {
                    double d = xb.get(base + c) - mu;
                    var += d * d;
                }
                var /= cols;
                double rs = 1.0 / Math.sqrt(var + eps);
                mb.put(r, (float) mu);
                rb.put(r, (float) rs);
                for (int c = 0; c < cols; c++) {
                    float norm = (float) ((xb.get(base + c) - mu) * rs);
                    ob.put(base + c, norm * wb.get(c) + bb.get(c));
                }
            }
        });
    }

    @Override
    public void layerNormBackward(int rows, int cols, Storage x, Storage weight, Storage mean, Storage rstd,
                                  Storage gy, Storage gx, Storage gWeight, Storage gBias) {
        FloatBuffer xb = buf(x);
        FloatBuffer wb = buf(weight);
        FloatBuffer mb = buf(mean);
        FloatBuffer rb = buf(rstd);
        FloatBuffer gyb = buf(gy);
        if (simd(x, weight, mean, rstd, gy, gx, gWeight, gBias)) {
            if (gx != null) {
                CpuThreads.parallelFor(rows, cols * 6L, (r0, r1) -> VectorKernels.layerNormBackwardInput(bytes(x),
                        bytes(weight), bytes(mean), bytes(rstd), bytes(gy), bytes(gx), cols, r0, r1));
            }
            if (gWeight != null || gBias != null) {
                CpuThreads.parallelFor(cols, rows * 3L, (c0, c1) -> VectorKernels.layerNormBackwardParams(bytes(x),
                        bytes(mean), bytes(rstd), bytes(gy), bytes(gWeight), bytes(gBias), rows, cols, c0, c1));
            }
            return;
        }
        if (gx != null) {
            FloatBuffer gxb = buf(gx);
            // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * w
            CpuThreads.parallelFor(rows, cols * 6L, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int base = r * cols;
                    float mu = mb.get(r);
                    float rs = rb.get(r);
                    double sumDxhat = 0;
                    double sumDxhatXhat = 0;
                    for (int c = 0; c < cols; c++) {
                        float xhat = (xb.get(base + c) - mu) * rs;
                        float dxhat = gyb.get(base + c) * wb.get(c);
                        sumDxhat += dxhat;
                        sumDxhatXhat += (double) dxhat * xhat;
                    }
                    float meanDxhat = (float) (sumDxhat / cols);
                    float meanDxhatXhat = (float) (sumDxhatXhat / cols);
                    for (int c = 0; c < cols; c++) {
                        float xhat = (xb.get(base + c) - mu) * rs;
                        float dxhat = gyb.get(base + c) * wb.get(c);
                        int i = base + c;
                        gxb.put(i, gxb.get(i) + rs * (dxhat - meanDxhat - xhat * meanDxhatXhat));
                    }
                }
            });
        }
        if (gWeight != null || gBias != null) {
            FloatBuffer gwb = gWeight == null ? null : buf(gWeight);
            FloatBuffer gbb = gBias == null ? null : buf(gBias);
            CpuThreads.parallelFor(cols, rows * 3L, (c0, c1) -> {
                double[] accW = new double[c1 - c0];
                double[] accB = new double[c1 - c0];
                for (int r = 0; r < rows; r++) {
                    int base = r * cols;
                    float mu = mb.get(r);
                    float rs = rb.get(r);
                    for (int c = c0; c < c1; c++) {
                        float g = gyb.get(base + c);
                        accW[c - c0] += g * ((xb.get(base + c) - mu) * rs);
                        accB[c - c0] += g;
                    }
                }
                for (int c = c0; c < c1; c++) {
                    if (gwb != null) gwb.put(c, gwb.get(c) + (float) accW[c - c0]);
                    if (gbb != null) gbb.put(c, gbb.get(c) + (float) accB[c - c0]);
                }
            });
        }
    }

    @Override
    public void dropoutForward(long n, Storage x, float p, long seed, Storage mask, Storage out) {
        float keepScale = 1f / (1f - p);
        int threshold = CounterRandom.keepThreshold(p);
        int[] keys = CounterRandom.keys(seed);
        if (simd(x, mask, out)) {
            CpuThreads.parallelFor((int) n, 4, (i0, i1) -> VectorKernels.dropout(bytes(x), keys[0], keys[1], threshold,
                    keepScale, bytes(mask), bytes(out), i0, i1));
            return;
        }
        FloatBuffer xb = buf(x);
        FloatBuffer mb = buf(mask);
        FloatBuffer ob = buf(out);
        CpuThreads.parallelFor((int) n, 4, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int draw = CounterRandom.draw(keys[0], keys[1], i) >>> 8;
                float m = draw >= threshold ? keepScale : 0f;
                mb.put(i, m);
                ob.put(i, xb.get(i) * m);
            }
        });
    }

    // ======================================================================== embedding

    @Override
    public void embeddingGather(IndexStorage idStorage, int dim, Storage weight, Storage out) {
        int[] ids = ids(idStorage);
        if (simd(weight, out)) {
            ByteBuffer wv = bytes(weight);
            ByteBuffer ov = bytes(out);
            CpuThreads.parallelFor(ids.length, dim, (i0, i1) -> {
                for (int i = i0; i < i1; i++) VectorKernels.copyRow(wv, ids[i] * dim, ov, i * dim, dim, false);
            });
            return;
        }
        FloatBuffer wb = buf(weight);
        FloatBuffer ob = buf(out);
        CpuThreads.parallelFor(ids.length, dim, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int src = ids[i] * dim;
                int dst = i * dim;
                for (int d = 0; d < dim; d++) ob.put(dst + d, wb.get(src + d));
            }
        });
    }

    @Override
    public void embeddingScatterAdd(IndexStorage idStorage, int dim, Storage gy, int paddingIdx, Storage gWeight) {
        int[] ids = ids(idStorage);
        // Serial: repeated ids add into the same row.
        if (simd(gy, gWeight)) {
            ByteBuffer gv = bytes(gy);
            ByteBuffer wv = bytes(gWeight);
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != paddingIdx) VectorKernels.copyRow(gv, i * dim, wv, ids[i] * dim, dim, true);
            }
            return;
        }
        FloatBuffer gyb = buf(gy);
        FloatBuffer gw = buf(gWeight);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == paddingIdx) continue;
            int dst = ids[i] * dim;
            int src = i * dim;
            for (int d = 0; d < dim; d++) gw.put(dst + d, gw.get(dst + d) + gyb.get(src + d));
        }
    }

    // ======================================================================== per-example norms

    /** Per segment, the sum of squares of its rows, in double. */
    private static double[] segmentSquares(int[] segmentOfRow, int dim, FloatBuffer x, int segments) {
        double[] sq = new double[segments];
        for (int row = 0; row < segmentOfRow.length; row++) {
            int s = segmentOfRow[row];
            if (s < 0) continue;
            for (int i = row * dim; i < (row + 1) * dim; i++) {
                double v = x.get(i);
                sq[s] += v * v;
            }
        }
        return sq;
    }

    @Override
    public void segmentNorms(IndexStorage segmentOfRow, int dim, Storage x, int segments, Storage norms) {
        double[] sq = segmentSquares(ids(segmentOfRow), dim, buf(x), segments);
        FloatBuffer out = buf(norms);
        for (int s = 0; s < segments; s++) out.put(s, (float) Math.sqrt(sq[s]));
    }

    @Override
    public void normalizeSegments(IndexStorage segmentOfRow, int dim, Storage x, int segments, float eps, Storage out) {
        int[] owner = ids(segmentOfRow);
        FloatBuffer xb = buf(x);
        FloatBuffer ob = buf(out);
        double[] sq = segmentSquares(owner, dim, xb, segments);
        for (int row = 0; row < owner.length; row++) {
            int s = owner[row];
            double norm = s < 0 ? 0 : Math.sqrt(sq[s]);
            boolean zero = norm == 0 || !Double.isFinite(norm);
            for (int i = row * dim; i < (row + 1) * dim; i++) ob.put(i, zero ? 0f : (float) (eps * xb.get(i) / norm));
        }
    }

    @Override
    public void projectSegments(IndexStorage segmentOfRow, int dim, Storage x, int segments, float eps) {
        int[] owner = ids(segmentOfRow);
        FloatBuffer xb = buf(x);
        double[] sq = segmentSquares(owner, dim, xb, segments);
        for (int row = 0; row < owner.length; row++) {
            int s = owner[row];
            if (s < 0) continue;
            double norm = Math.sqrt(sq[s]);
            if (!(norm > eps)) continue;
            float f = (float) (eps / norm);
            for (int i = row * dim; i < (row + 1) * dim; i++) xb.put(i, xb.get(i) * f);
        }
    }

    // ======================================================================== losses / reductions

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Override
    public void bceWithLogitsLoss(int rows, int cols, Storage logits, Storage targets, Storage posWeight,
                                  double divisor, Storage out) {
        FloatBuffer xb = buf(logits);
        FloatBuffer yb = buf(targets);
        FloatBuffer pw = posWeight == null ? null : buf(posWeight);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double x = xb.get(i);
                double y = yb.get(i);
                double w = pw == null ? 1.0 : pw.get(c);
                total += w * y * softplus(-x) + (1 - y) * softplus(x);
            }
        }
        buf(out).put(0, (float) (total / divisor));
    }

    @Override
    public void bceWithLogitsBackward(int rows, int cols, Storage logits, Storage targets, Storage posWeight,
                                      Storage gy, double divisor, Storage gx) {
        float scale = (float) (scalar(gy) / divisor);
        FloatBuffer xb = buf(logits);
        FloatBuffer yb = buf(targets);
        FloatBuffer pw = posWeight == null ? null : buf(posWeight);
        FloatBuffer g = buf(gx);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double x = xb.get(i);
                double y = yb.get(i);
                double w = pw == null ? 1.0 : pw.get(c);
                double sig = 1.0 / (1.0 + Math.exp(-x));
                g.put(i, g.get(i) + (float) (scale * ((w * y + 1 - y) * sig - w * y)));
            }
        }
    }

    @Override
    public void crossEntropyLoss(int rows, int cols, Storage logits, IndexStorage targetStorage, int ignoreIndex,
                                 double divisor, Storage out) {
        int[] targets = ids(targetStorage);
        FloatBuffer xb = buf(logits);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            int base = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) max = Math.max(max, xb.get(base + c));
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += Math.exp(xb.get(base + c) - max);
            total += Math.log(sum) + max - xb.get(base + targets[r]);
        }
        buf(out).put(0, (float) (total / divisor));
    }

    @Override
    public void crossEntropyBackward(int rows, int cols, Storage logits, IndexStorage targetStorage, int ignoreIndex,
                                     Storage gy, double divisor, Storage gx) {
        int[] targets = ids(targetStorage);
        float scale = (float) (scalar(gy) / divisor);
        FloatBuffer xb = buf(logits);
        FloatBuffer g = buf(gx);
        CpuThreads.parallelFor(rows, cols * 3L, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                if (targets[r] == ignoreIndex) continue;
                int base = r * cols;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) max = Math.max(max, xb.get(base + c));
                double sum = 0;
                for (int c = 0; c < cols; c++) sum += Math.exp(xb.get(base + c) - max);
                for (int c = 0; c < cols; c++) {
                    double p = Math.exp(xb.get(base + c) - max) / sum;
                    if (c == targets[r]) p -= 1.0;
                    g.put(base + c, g.get(base + c) + (float) (scale * p));
                }
            }
        });
    }

    @Override
    public void sum(Storage x, long offset, long n, double divisor, Storage out, long outOffset) {
        double total;
        if (simd(x)) {
            total = VectorKernels.sum(bytes(x), (int) offset, (int) (offset + n), false);
        } else {
            FloatBuffer b = buf(x);
            total = 0;
            int end = (int) (offset + n);
            for (int i = (int) offset; i < end; i++) total += b.get(i);
        }
        buf(out).put((int) outOffset, (float) (total / divisor));
    }

    @Override
    public void addScalar(long n, Storage scalar, double divisor, Storage out) {
        float value = (float) (scalar(scalar) / divisor);
        FloatBuffer o = buf(out);
        for (int i = 0; i < n; i++) o.put(i, o.get(i) + value);
    }

    @Override
    public double sumOfSquares(Storage x, long offset, long n) {
        if (simd(x)) return VectorKernels.sum(bytes(x), (int) offset, (int) (offset + n), true);
        FloatBuffer b = buf(x);
        double total = 0;
        int end = (int) (offset + n);
        for (int i = (int) offset; i < end; i++) {
            double v = b.get(i);
            total += v * v;
        }
        return total;
    }

    // ======================================================================== optimizer

    @Override
    public void adamwUpdate(long n, Storage param, Storage grad, Storage m, Storage v, float lr, float beta1,
                            float beta2, float eps, float weightDecay, float stepSize, float sqrtBiasCorrection2) {
        FloatBuffer p = buf(param);
        FloatBuffer g = buf(grad);
        FloatBuffer mb = buf(m);
        FloatBuffer vb = buf(v);
        float decay = 1f - lr * weightDecay;
        if (simd(param, grad, m, v)) {
            CpuThreads.parallelFor((int) n, 8, (i0, i1) -> VectorKernels.adamw(bytes(param), bytes(grad), bytes(m),
                    bytes(v), beta1, beta2, eps, decay, stepSize, sqrtBiasCorrection2, i0, i1));
            return;
        }
        CpuThreads.parallelFor((int) n, 8, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                float gi = g.get(i);
                float mi = beta1 * mb.get(i) + (1f - beta1) * gi;
                float vi = beta2 * vb.get(i) + (1f - beta2) * gi * gi;
                mb.put(i, mi);
                vb.put(i, vi);
                float denom = (float) Math.sqrt(vi) / sqrtBiasCorrection2 + eps;
                p.put(i, p.get(i) * decay - stepSize * mi / denom);
            }
        });
    }
}
