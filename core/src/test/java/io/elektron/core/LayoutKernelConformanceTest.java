package io.elektron.core;

import io.elektron.core.Backend.BinaryOp;
import io.elektron.core.spec.ReferenceKernels;
import io.elektron.core.spec.ReferenceLayoutKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static io.elektron.core.ConformanceArrays.assertClose;
import static io.elektron.core.ConformanceArrays.plus;
import static io.elektron.core.ConformanceArrays.random;
import static io.elektron.core.ConformanceArrays.read;
import static io.elektron.core.ConformanceArrays.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every registered backend's movement, broadcast, batched-GEMM, segment-softmax and reduction kernels against
 * {@link ReferenceLayoutKernels} and {@link ReferenceKernels}, as {@link KernelConformanceTest} does for the numeric
 * ones: odd sizes (SIMD bodies and tails, threaded splits), destinations that start non-zero (so a kernel that writes
 * outside its block, or overwrites where it should add, fails), and offsets and strides wider than the data. Pure data
 * movement must be exact; arithmetic is held to float32 rounding against the double-precision reference.
 */
class LayoutKernelConformanceTest {
    /** Every registered backend that finds its device. */
    private static final String BACKENDS = "io.elektron.core.BackendContractTest#backends";

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void fillAndCopyTouchOnlyTheirRange(Backend b) {
        SplittableRandom r = new SplittableRandom(10);
        int n = 67 * 389;
        float[] dst = random(r, n + 20, 1);
        Storage ds = upload(b, dst);
        b.fill(ds, 7, n, -2.5f);
        float[] expected = dst.clone();
        java.util.Arrays.fill(expected, 7, 7 + n, -2.5f);
        assertClose("fill", expected, read(b, ds, dst.length), 0, 0);
        float[] src = random(r, n + 5, 1);
        b.copy(upload(b, src), 5, ds, 11, n);
        System.arraycopy(src, 5, expected, 11, n);
        assertClose("copy", expected, read(b, ds, dst.length), 0, 0);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void copy2dBetweenStridedLayouts(Backend b) {
        SplittableRandom r = new SplittableRandom(11);
        int rows = 67, cols = 389, srcStride = 401, dstStride = 397, srcOffset = 3, dstOffset = 5;
        float[] src = random(r, srcOffset + rows * srcStride, 1);
        for (boolean accumulate : new boolean[]{false, true}) {
            float[] dst = random(r, dstOffset + rows * dstStride + 7, 1);
            Storage ds = upload(b, dst);
            b.copy2d(upload(b, src), srcOffset, srcStride, ds, dstOffset, dstStride, rows, cols, accumulate);
            assertClose("copy2d" + (accumulate ? " accumulate" : ""), ReferenceLayoutKernels.copy2d(src, srcOffset,
                    srcStride, dst, dstOffset, dstStride, rows, cols, accumulate), read(b, ds, dst.length), 0, 0);
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void swapAxes(Backend b) {
        SplittableRandom r = new SplittableRandom(12);
        // [batch, T, heads, d] <-> [batch, heads, T, d] as attention splits heads, then a general five-axis case.
        int[][] views = {{3, 37, 1, 12, 32}, {2, 17, 5, 13, 7}, {1, 29, 3, 31, 1}};
        for (int[] v : views) {
            int n = v[0] * v[1] * v[2] * v[3] * v[4];
            float[] src = random(r, n, 1);
            for (boolean accumulate : new boolean[]{false, true}) {
                float[] dst = random(r, n, 1);
                Storage ds = upload(b, dst);
                b.swapAxes(upload(b, src), ds, v[0], v[1], v[2], v[3], v[4], accumulate);
                assertClose("swapAxes " + java.util.Arrays.toString(v) + (accumulate ? " accumulate" : ""),
                        ReferenceLayoutKernels.swapAxes(src, dst, v[0], v[1], v[2], v[3], v[4], accumulate),
                        read(b, ds, n), 0, 0);
            }
        }
    }

    /** One broadcast pattern: the output shape and each operand's strides over it (0 where it is broadcast). */
    private record Broadcast(String name, int[] outShape, int[] aStrides, int aSize, int[] bStrides, int bSize) {
    }

    private static final List<Broadcast> BROADCASTS = List.of(
            new Broadcast("same shape", new int[]{67, 389}, new int[]{389, 1}, 67 * 389, new int[]{389, 1}, 67 * 389),
            new Broadcast("bias row", new int[]{67, 389}, new int[]{389, 1}, 67 * 389, new int[]{0, 1}, 389),
            new Broadcast("column", new int[]{67, 389}, new int[]{1, 0}, 67, new int[]{389, 1}, 67 * 389),
            new Broadcast("middle axis", new int[]{5, 13, 67}, new int[]{871, 67, 1}, 5 * 871, new int[]{67, 0, 1},
                    5 * 67),
            new Broadcast("transposed view", new int[]{389, 67}, new int[]{1, 389}, 67 * 389, new int[]{67, 1},
                    67 * 389),
            new Broadcast("scalar", new int[]{67, 389}, new int[]{389, 1}, 67 * 389, new int[]{0, 0}, 1));

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void broadcastBinaryInEveryPattern(Backend b) {
        SplittableRandom r = new SplittableRandom(13);
        for (Broadcast p : BROADCASTS) {
            float[] a = random(r, p.aSize(), 2);
            float[] y = random(r, p.bSize(), 2);
            int n = 1;
            for (int d : p.outShape()) n *= d;
            for (BinaryOp op : BinaryOp.values()) {
                Storage out = b.allocate(n);
                b.broadcastBinary(op, p.outShape(), upload(b, a), p.aStrides(), upload(b, y), p.bStrides(), out);
                // One float operation per element, the same one the reference does: exact.
                assertClose("broadcastBinary " + op + " " + p.name(), ReferenceLayoutKernels.broadcastBinary(op,
                        p.outShape(), a, p.aStrides(), y, p.bStrides()), read(b, out, n), 0, 0);
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void reduceBroadcastInEveryPattern(Backend b) {
        SplittableRandom r = new SplittableRandom(14);
        // The gradient of each operand of the patterns above flows back through that operand's strides.
        for (Broadcast p : BROADCASTS) {
            int n = 1;
            for (int d : p.outShape()) n *= d;
            float[] src = random(r, n, 1);
            for (boolean first : new boolean[]{true, false}) {
                int[] strides = first ? p.aStrides() : p.bStrides();
                float[] dst = random(r, first ? p.aSize() : p.bSize(), 1);
                Storage ds = upload(b, dst);
                b.reduceBroadcast(upload(b, src), p.outShape(), ds, strides);
                assertClose("reduceBroadcast " + p.name() + (first ? " (a)" : " (b)"),
                        ReferenceLayoutKernels.reduceBroadcast(src, p.outShape(), dst, strides),
                        read(b, ds, dst.length), 1e-5, 2e-5);
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void axpyScaleAndMultiply(Backend b) {
        SplittableRandom r = new SplittableRandom(15);
        int n = 67 * 389, xOffset = 3, yOffset = 11;
        float[] x = random(r, xOffset + n, 1);
        float[] y = random(r, yOffset + n + 5, 1);
        Storage ys = upload(b, y);
        b.axpy(n, -0.375f, upload(b, x), xOffset, ys, yOffset);
        float[] expected = y.clone();
        float[] increment = ReferenceKernels.scale(-0.375f, java.util.Arrays.copyOfRange(x, xOffset, xOffset + n));
        for (int i = 0; i < n; i++) expected[yOffset + i] += increment[i];
        assertClose("axpy", expected, read(b, ys, y.length), 1e-6, 1e-7);

        float[] u = random(r, n, 3);
        float[] v = random(r, n, 3);
        Storage out = b.allocate(n);
        b.scale(n, 1.7f, upload(b, u), out);
        assertClose("scale", ReferenceKernels.scale(1.7f, u), read(b, out, n), 0, 0);
        b.multiply(n, upload(b, u), upload(b, v), out, false);
        assertClose("multiply", ReferenceKernels.multiply(u, v), read(b, out, n), 0, 0);
        float[] g0 = random(r, n, 1);
        Storage acc = upload(b, g0);
        b.multiply(n, upload(b, u), upload(b, v), acc, true);
        assertClose("multiply accumulate", plus(g0, ReferenceKernels.multiply(u, v)), read(b, acc, n), 1e-6, 1e-6);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void stridedAndGridBatchedGemms(Backend b) {
        SplittableRandom r = new SplittableRandom(16);
        int m = 19, n = 23, k = 32, batch = 12;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                String name = (ta ? "T" : "N") + (tb ? "T" : "N");
                int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 3, ldc = n + 2;
                int strideA = (ta ? k : m) * lda + 5, strideB = (tb ? n : k) * ldb + 1, strideC = m * ldc + 4;
                float[] a = random(r, 2 + batch * strideA, 1);
                float[] bm = random(r, 1 + batch * strideB, 1);
                float[] c = random(r, 3 + batch * strideC, 1);
                Storage cs = upload(b, c);
                b.gemmStridedBatched(ta, tb, m, n, k, 0.5f, upload(b, a), 2, lda, strideA, upload(b, bm), 1, ldb,
                        strideB, 0.25f, cs, 3, ldc, strideC, batch);
                assertClose("gemmStridedBatched " + name, ReferenceLayoutKernels.gemmStridedBatched(ta, tb, m, n, k,
                        0.5f, a, 2, lda, strideA, bm, 1, ldb, strideB, 0.25f, c, 3, ldc, strideC, batch),
                        read(b, cs, c.length), 1e-5, 2e-5);

                // A [3 sequences, 4 heads] grid; heads interleaved inside a sequence, as in [B, T, heads, d].
                int outer = 3, inner = 4;
                int aInner = ta ? m : k, bInner = tb ? k : n, cInner = n;
                int aOuter = inner * aInner * (ta ? k : m), bOuter = inner * bInner * (tb ? n : k);
                int cOuter = inner * cInner * m;
                int gLda = inner * aInner, gLdb = inner * bInner, gLdc = inner * cInner;
                float[] ga = random(r, outer * aOuter, 1);
                float[] gb = random(r, outer * bOuter, 1);
                float[] gc = random(r, outer * cOuter, 1);
                Storage gcs = upload(b, gc);
                b.gemmBatchedGrid(ta, tb, m, n, k, 1f, upload(b, ga), 0, gLda, aOuter, aInner, upload(b, gb), 0,
                        gLdb, bOuter, bInner, 0f, gcs, 0, gLdc, cOuter, cInner, outer, inner);
                assertClose("gemmBatchedGrid " + name, ReferenceLayoutKernels.gemmBatchedGrid(ta, tb, m, n, k, 1f,
                        ga, 0, gLda, aOuter, aInner, gb, 0, gLdb, bOuter, bInner, 0f, gc, 0, gLdc, cOuter, cInner,
                        outer, inner), read(b, gcs, gc.length), 1e-5, 2e-5);
            }
        }
    }

    /** Sequence lengths of a packed batch: 1, around one and two SIMD widths, and long ones. */
    private static final int[] LENGTHS = {1, 7, 15, 16, 17, 19, 31, 32, 33, 40, 64, 97};

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void groupedGemmsOfAPackedBatch(Backend b) {
        SplittableRandom r = new SplittableRandom(17);
        int heads = 3, d = 16, hidden = heads * d;
        int tokens = 0;
        for (int t : LENGTHS) tokens += t;
        int count = LENGTHS.length * heads;
        int[] m = new int[count], n = new int[count], k = new int[count], lda = new int[count], ldb = new int[count],
                ldc = new int[count];
        long[] aOff = new long[count], bOff = new long[count], cOff = new long[count];
        long scoreOffset = 0;
        int rowOffset = 0;
        for (int s = 0, g = 0; s < LENGTHS.length; s++) {
            int t = LENGTHS[s];
            for (int h = 0; h < heads; h++, g++) {
                // scores_sh [T, T] = Q_sh [T, d] K_sh^T, Q and K in merged-head [tokens, hidden] layout.
                m[g] = t;
                n[g] = t;
                k[g] = d;
                aOff[g] = (long) rowOffset * hidden + h * d;
                bOff[g] = aOff[g];
                cOff[g] = scoreOffset;
                lda[g] = hidden;
                ldb[g] = hidden;
                ldc[g] = t;
                scoreOffset += (long) t * t;
            }
            rowOffset += t;
        }
        GemmGroup group = new GemmGroup(m, n, k, aOff, lda, bOff, ldb, cOff, ldc);
        float[] q = random(r, tokens * hidden, 1);
        float[] key = random(r, tokens * hidden, 1);
        float[] c = random(r, (int) scoreOffset, 1);
        Storage cs = upload(b, c);
        b.gemmGrouped(false, true, 0.25f, upload(b, q), upload(b, key), 0.5f, cs, group);
        assertClose("gemmGrouped", ReferenceLayoutKernels.gemmGrouped(false, true, 0.25f, q, key, 0.5f, c, group),
                read(b, cs, c.length), 1e-5, 2e-5);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void softmaxOverSegmentsOfEveryLength(Backend b) {
        SplittableRandom r = new SplittableRandom(18);
        int heads = 2;
        int count = LENGTHS.length * heads;
        long[] offsets = new long[count];
        int[] rows = new int[count];
        int[] cols = new int[count];
        long offset = 0;
        for (int s = 0, g = 0; s < LENGTHS.length; s++) {
            for (int h = 0; h < heads; h++, g++) {
                offsets[g] = offset;
                rows[g] = LENGTHS[s];
                cols[g] = LENGTHS[s];
                offset += (long) LENGTHS[s] * LENGTHS[s];
            }
        }
        RowSegments segments = new RowSegments(offsets, rows, cols);
        int n = (int) offset;
        float[] x = random(r, n, 8);
        Storage out = b.allocate(n);
        b.softmaxForwardSegments(segments, upload(b, x), 0.25f, out);
        float[] y = read(b, out, n);
        assertClose("softmaxForwardSegments", ReferenceKernels.softmaxForwardSegments(offsets, rows, cols, x, 0.25f), y,
                1e-5, 1e-8);
        float[] gy = random(r, n, 1);
        float[] g0 = random(r, n, 1);
        Storage gx = upload(b, g0);
        b.softmaxBackwardSegments(segments, out, upload(b, gy), 0.25f, gx);
        assertClose("softmaxBackwardSegments", plus(g0, ReferenceKernels.softmaxBackwardSegments(offsets, rows, cols,
                y, gy, 0.25f)), read(b, gx, n), 1e-5, 1e-6);
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void sumsAndSumsOfSquares(Backend b) {
        SplittableRandom r = new SplittableRandom(19);
        int n = 67 * 389, offset = 13;
        float[] x = random(r, offset + n + 3, 1);
        Storage xs = upload(b, x);
        Storage out = upload(b, new float[]{9f, 9f, 9f});
        b.sum(xs, offset, n, 7.0, out, 1);
        float[] sums = read(b, out, 3);
        assertEquals(ReferenceKernels.sum(x, offset, n, 7.0), sums[1], 1e-6 * Math.abs(sums[1]) + 1e-7, "sum");
        assertEquals(9f, sums[0], "sum writes only its own slot");
        assertEquals(9f, sums[2], "sum writes only its own slot");

        float[] g0 = random(r, n, 1);
        Storage g = upload(b, g0);
        b.addScalar(n, upload(b, new float[]{3f}), 4.0, g);
        float[] shifted = g0.clone();
        for (int i = 0; i < n; i++) shifted[i] += 0.75f;
        assertClose("addScalar", shifted, read(b, g, n), 1e-7, 0);

        assertEquals(ReferenceKernels.sumOfSquares(x, offset, n), b.sumOfSquares(xs, offset, n),
                1e-6 * ReferenceKernels.sumOfSquares(x, offset, n), "sumOfSquares");
        float[][] parts = {random(r, 389, 1), random(r, 1, 1), random(r, n, 1)};
        long[] counts = {389, 1, n - 17}; // the last one counts only its first floats
        double expected = 0;
        Storage[] storages = new Storage[parts.length];
        for (int i = 0; i < parts.length; i++) {
            storages[i] = upload(b, parts[i]);
            expected += ReferenceKernels.sumOfSquares(parts[i], 0, (int) counts[i]);
        }
        assertEquals(expected, b.sumOfSquares(storages, counts), 1e-6 * expected, "batched sumOfSquares");
    }
}
