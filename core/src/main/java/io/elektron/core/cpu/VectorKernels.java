package io.elektron.core.cpu;

import io.elektron.core.spec.CounterRandom;
import io.elektron.core.spec.GeluMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SIMD versions of the CPU backend's elementwise and row kernels, written with the JDK's Vector API. Only
 * {@link CpuBackend} calls them, and only when {@link Simd#ENABLED}: loading this class needs the incubator module.
 *
 * <p>Every method works on direct native-order byte views of the storages ({@link CpuStorage#bytes()}) and takes
 * element indices; a scalar loop finishes what does not fill a whole vector. Results match the scalar kernels up to
 * float rounding (sums are accumulated in float lanes instead of one double), which {@code VectorKernelsTest} bounds.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Double lanes, and a narrower float species with as many lanes: a cast between them keeps the lane count. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    private static final VectorSpecies<Float> F_AS_D = VectorSpecies.of(float.class, VectorShape.forBitSize(DL * 32));
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private VectorKernels() {
    }

    static int lanes() {
        return L;
    }

    private static float get(ByteBuffer b, int i) {
        return b.getFloat(i << 2);
    }

    private static void put(ByteBuffer b, int i, float v) {
        b.putFloat(i << 2, v);
    }

    /** The end of the part of [from, to) that whole vectors cover. */
    private static int vectorEnd(int from, int to) {
        return from + (to - from) / L * L;
    }

    // ------------------------------------------------------------------------ bit-reproducible building blocks
    //
    // The same seed must give the same bits, run after run. The Vector API does not promise that for every operation:
    // until C2 compiles a loop, the API's Java fallback runs it, and its transcendental functions (EXP, TANH) and
    // float reductions may round differently from the compiled intrinsics (observed: per-step losses of two
    // same-seed runs differed in the 7th digit). So only IEEE-exact operations are used here (add, mul, fma, div,
    // sqrt, compare, blend, bit casts), exp is computed from them, and sums across lanes run in a fixed order.

    /**
     * The lanes of a vector (stored into {@code lanes} by the caller) added in lane order: the same result interpreted
     * or compiled. Vectors never cross a call to this class's own helpers: C2 inlines a helper or not depending on
     * compile order, and a vector passed to a helper that was not inlined is boxed (seen as run-to-run swings of 30%
     * in the training step, with the garbage collector busy).
     */
    private static float sumLanes(float[] lanes) {
        float sum = 0f;
        for (float lane : lanes) sum += lane;
        return sum;
    }

    private static double sumLanes(double[] lanes) {
        double sum = 0;
        for (double lane : lanes) sum += lane;
        return sum;
    }

    private static final float LOG2E = 1.44269504f;
    /** ln 2 split in two (Cody-Waite): k * LN2_HI is exact for the k that occur, LN2_LO carries the rest. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer kept in the low mantissa bits. */
    private static final float ROUNDING_MAGIC = 12582912f;
    /** Below this, exp(x) is under the smallest normal float and is returned as 0; above the upper bound, +inf. */
    private static final float EXP_MIN = -87.33654f;
    private static final float EXP_MAX = 88.72283f;

    /**
     * a[i] = exp(a[i] - shift) for i in [0, n), n a multiple of the lane count; returns the sum of the results
     * (added in a fixed order). exp from exact operations: x = k ln 2 + r with |r| <= ln 2 / 2, exp(r) by its Taylor
     * polynomial to degree 7 (truncation below 5e-9 relative), times 2^k built in the exponent bits; within 2 ulp of
     * Math.exp, 0 below the normal range (HF's finfo.min padding mask gives exactly 0), +inf above it, NaN for NaN.
     *
     * <p>A loop over an array rather than a helper returning a vector, on purpose: once C2 has compiled a helper this
     * large on its own it no longer inlines it, and every vector crossing the call is boxed (measured: 9-20 bytes
     * of garbage per element and 3x the time).
     */
    static float expShifted(float[] a, int n, float shift) {
        float[] floatLanes = new float[L];
        FloatVector sum = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            FloatVector x = FloatVector.fromArray(F, a, i).sub(shift);
            FloatVector clamped = x.max(EXP_MIN).min(EXP_MAX);
            FloatVector shifted = clamped.fma(LOG2E, ROUNDING_MAGIC);
            FloatVector kFloat = shifted.sub(ROUNDING_MAGIC);
            FloatVector r = kFloat.fma(FloatVector.broadcast(F, -LN2_HI), clamped);
            r = kFloat.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector p = r.fma(1f / 5040, 1f / 720);
            p = p.fma(r, FloatVector.broadcast(F, 1f / 120));
            p = p.fma(r, FloatVector.broadcast(F, 1f / 24));
            p = p.fma(r, FloatVector.broadcast(F, 1f / 6));
            p = p.fma(r, FloatVector.broadcast(F, 0.5f));
            p = p.fma(r, FloatVector.broadcast(F, 1f));
            p = p.fma(r, FloatVector.broadcast(F, 1f));
            // 2^k: k sits in the low bits of shifted; it goes into the exponent field (bias 127) in two halves,
            // because k spans [-126, 128] and 2^128 itself is not a float.
            IntVector k = ((IntVector) shifted.reinterpretAsInts()).sub(Float.floatToRawIntBits(ROUNDING_MAGIC));
            IntVector kHalf = k.lanewise(VectorOperators.ASHR, 1);
            FloatVector scale1 = kHalf.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector scale2 = k.sub(kHalf).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector result = p.mul(scale1).mul(scale2);
            result = result.blend(0f, x.lt(EXP_MIN));
            result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
            // NaN stays NaN. x != x rather than test(IS_NAN): Java 17 does not intrinsify the latter, and it boxed
            // every vector of the loop (42 bytes of garbage per element, 10x the time).
            result = result.blend(x, x.compare(VectorOperators.NE, x));
            result.intoArray(a, i);
            sum = sum.add(result);
        }
        sum.intoArray(floatLanes, 0);
        return sumLanes(floatLanes);
    }

    // ======================================================================== GELU

    private static final float INV_SQRT2 = 0.70710677f;
    private static final float INV_SQRT_2PI = 0.3989423f;
    private static final float TWO_OVER_SQRT_PI = 1.1283792f;

    /** Elements per block of GELU's passes: the temporaries stay in L1. */
    private static final int GELU_BLOCK = 1024;

    /** out = x * Phi(x) over [from, to). */
    static void gelu(ByteBuffer x, ByteBuffer out, int from, int to) {
        int end = vectorEnd(from, to);
        float[] cdf = new float[GELU_BLOCK];
        float[] gaussian = new float[GELU_BLOCK];
        for (int b0 = from; b0 < end; b0 += GELU_BLOCK) {
            int b1 = Math.min(end, b0 + GELU_BLOCK);
            cdfAndGaussian(x, b0, b1, cdf, gaussian);
            for (int i = b0; i < b1; i += L) {
                FloatVector.fromByteBuffer(F, x, i << 2, ORDER).mul(FloatVector.fromArray(F, cdf, i - b0))
                        .intoByteBuffer(out, i << 2, ORDER);
            }
        }
        for (int i = end; i < to; i++) put(out, i, GeluMath.gelu(get(x, i)));
    }

    /** gx += gy * (Phi(x) + x * phi(x)) over [from, to). */
    static void geluBackward(ByteBuffer x, ByteBuffer gy, ByteBuffer gx, int from, int to) {
        int end = vectorEnd(from, to);
        float[] cdf = new float[GELU_BLOCK];
        float[] gaussian = new float[GELU_BLOCK];
        for (int b0 = from; b0 < end; b0 += GELU_BLOCK) {
            int b1 = Math.min(end, b0 + GELU_BLOCK);
            cdfAndGaussian(x, b0, b1, cdf, gaussian);
            for (int i = b0; i < b1; i += L) {
                // phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
                FloatVector xPdf = FloatVector.fromByteBuffer(F, x, i << 2, ORDER).mul(FloatVector.fromArray(F,
                        gaussian, i - b0)).mul(INV_SQRT_2PI);
                FloatVector derivative = xPdf.add(FloatVector.fromArray(F, cdf, i - b0));
                FloatVector.fromByteBuffer(F, gy, i << 2, ORDER).fma(derivative, FloatVector.fromByteBuffer(F, gx,
                        i << 2, ORDER)).intoByteBuffer(gx, i << 2, ORDER);
            }
        }
        for (int i = end; i < to; i++) put(gx, i, get(gx, i) + get(gy, i) * GeluMath.geluDerivative(get(x, i)));
    }

    /**
     * Phi(x) and exp(-x^2 / 2) for the whole vectors of [from, to), into cdf[i - from] and gaussian[i - from].
     *
     * <p>Phi(x) = (1 + erf(x / sqrt 2)) / 2 with erf as in {@link GeluMath}: the Maclaurin series below |z| = 0.5
     * (relative accuracy where GELU is small), Abramowitz-Stegun 7.1.26 above; both are computed and blended, and the
     * exp(-z^2) of 7.1.26 is phi's exp(-x^2 / 2). Separate passes through small arrays instead of one loop, because C2
     * keeps vectors in registers only while a whole loop body inlines; one body with all of it boxed its vectors.
     */
    private static void cdfAndGaussian(ByteBuffer x, int from, int to, float[] cdf, float[] gaussian) {
        int n = to - from;
        for (int i = from; i < to; i += L) {
            FloatVector v = FloatVector.fromByteBuffer(F, x, i << 2, ORDER);
            v.mul(v).mul(-0.5f).intoArray(gaussian, i - from);
        }
        expShifted(gaussian, n, 0f);
        for (int i = from; i < to; i += L) {
            FloatVector z = FloatVector.fromByteBuffer(F, x, i << 2, ORDER).mul(INV_SQRT2);
            FloatVector a = z.abs();
            FloatVector z2 = z.mul(z);
            FloatVector series = z2.fma(1f / 9360, -1f / 1320);
            series = series.fma(z2, FloatVector.broadcast(F, 1f / 216));
            series = series.fma(z2, FloatVector.broadcast(F, -1f / 42));
            series = series.fma(z2, FloatVector.broadcast(F, 1f / 10));
            series = series.fma(z2, FloatVector.broadcast(F, -1f / 3));
            series = series.fma(z2, FloatVector.broadcast(F, 1f));
            FloatVector seriesErf = z.mul(TWO_OVER_SQRT_PI).mul(series);
            FloatVector t = FloatVector.broadcast(F, 1f).div(a.fma(0.3275911f, 1f));
            FloatVector poly = t.fma(1.061405429f, -1.453152027f);
            poly = poly.fma(t, FloatVector.broadcast(F, 1.421413741f));
            poly = poly.fma(t, FloatVector.broadcast(F, -0.284496736f));
            poly = poly.fma(t, FloatVector.broadcast(F, 0.254829592f));
            FloatVector g = FloatVector.fromArray(F, gaussian, i - from);
            FloatVector tailErf = poly.mul(t).mul(g).neg().add(1f);
            tailErf = tailErf.blend(tailErf.neg(), z.lt(0f));
            tailErf.blend(seriesErf, a.lt(0.5f)).add(1f).mul(0.5f).intoArray(cdf, i - from);
        }
    }

    // ======================================================================== dropout

    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    /** Dropout over [from, to): the same draws as CounterRandom.draw, 32-bit lanes; mask = 0 or keepScale. */
    static void dropout(ByteBuffer x, int key0, int key1, int threshold, float keepScale, ByteBuffer mask,
                        ByteBuffer out, int from, int to) {
        int end = vectorEnd(from, to);
        IntVector laneOffsets = IntVector.zero(I).addIndex(1).mul(CounterRandom.WEYL);
        FloatVector keep = FloatVector.broadcast(F, keepScale);
        for (int i = from; i < end; i += L) {
            // (i + lane) * WEYL + key0, then xor key1 and fmix32, exactly as the scalar draw (wrapping int math)
            IntVector h = laneOffsets.add(i * CounterRandom.WEYL + key0).lanewise(VectorOperators.XOR, key1);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16)).mul(0x85EBCA6B);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 13)).mul(0xC2B2AE35);
            h = h.lanewise(VectorOperators.XOR, h.lanewise(VectorOperators.LSHR, 16));
            VectorMask<Integer> kept = h.lanewise(VectorOperators.LSHR, 8).compare(VectorOperators.GE, threshold);
            FloatVector m = FloatVector.zero(F).blend(keep, kept.cast(F));
            m.intoByteBuffer(mask, i << 2, ORDER);
            FloatVector.fromByteBuffer(F, x, i << 2, ORDER).mul(m).intoByteBuffer(out, i << 2, ORDER);
        }
        for (int i = end; i < to; i++) {
            float m = (CounterRandom.draw(key0, key1, i) >>> 8) >= threshold ? keepScale : 0f;
            put(mask, i, m);
            put(out, i, get(x, i) * m);
        }
    }

    // ======================================================================== simple elementwise

    /** b[from, to) = value. */
    static void fill(ByteBuffer b, int from, int to, float value) {
        int end = vectorEnd(from, to);
        FloatVector v = FloatVector.broadcast(F, value);
        for (int i = from; i < end; i += L) v.intoByteBuffer(b, i << 2, ORDER);
        for (int i = end; i < to; i++) put(b, i, value);
    }

    /** y[yo + i] += alpha * x[xo + i] for i in [from, to). */
    static void axpy(float alpha, ByteBuffer x, int xo, ByteBuffer y, int yo, int from, int to) {
        int end = vectorEnd(from, to);
        for (int i = from; i < end; i += L) FloatVector.fromByteBuffer(F, x, (xo + i) << 2, ORDER).mul(alpha)
                .add(FloatVector.fromByteBuffer(F, y, (yo + i) << 2, ORDER)).intoByteBuffer(y, (yo + i) << 2, ORDER);
        for (int i = end; i < to; i++) put(y, yo + i, get(y, yo + i) + alpha * get(x, xo + i));
    }

    static void scale(float alpha, ByteBuffer x, ByteBuffer out, int from, int to) {
        int end = vectorEnd(from, to);
        for (int i = from; i < end; i += L) FloatVector.fromByteBuffer(F, x, i << 2, ORDER).mul(alpha)
                .intoByteBuffer(out, i << 2, ORDER);
        for (int i = end; i < to; i++) put(out, i, alpha * get(x, i));
    }

    /** out = x * y, or out += x * y. */
    static void multiply(ByteBuffer x, ByteBuffer y, ByteBuffer out, boolean accumulate, int from, int to) {
        int end = vectorEnd(from, to);
        if (accumulate) {
            for (int i = from; i < end; i += L) FloatVector.fromByteBuffer(F, x, i << 2, ORDER)
                    .fma(FloatVector.fromByteBuffer(F, y, i << 2, ORDER), FloatVector.fromByteBuffer(F, out, i << 2,
                    ORDER)).intoByteBuffer(out, i << 2, ORDER);
            for (int i = end; i < to; i++) put(out, i, get(out, i) + get(x, i) * get(y, i));
        } else {
            for (int i = from; i < end; i += L) FloatVector.fromByteBuffer(F, x, i << 2, ORDER)
                    .mul(FloatVector.fromByteBuffer(F, y, i << 2, ORDER)).intoByteBuffer(out, i << 2, ORDER);
            for (int i = end; i < to; i++) put(out, i, get(x, i) * get(y, i));
        }
    }

    /** One output row of a broadcast binary op whose operands are contiguous (stride 1) or constant (stride 0). */
    static void binaryRow(int op, ByteBuffer a, int ai, boolean aScalar, ByteBuffer b, int bi, boolean bScalar,
                          ByteBuffer out, int oi, int n) {
        int end = n / L * L;
        FloatVector aConst = aScalar ? FloatVector.broadcast(F, get(a, ai)) : null;
        FloatVector bConst = bScalar ? FloatVector.broadcast(F, get(b, bi)) : null;
        for (int j = 0; j < end; j += L) {
            FloatVector av = aScalar ? aConst : FloatVector.fromByteBuffer(F, a, (ai + j) << 2, ORDER);
            FloatVector bv = bScalar ? bConst : FloatVector.fromByteBuffer(F, b, (bi + j) << 2, ORDER);
            FloatVector r = op == ADD ? av.add(bv) : op == SUBTRACT ? av.sub(bv) : av.mul(bv);
            r.intoByteBuffer(out, (oi + j) << 2, ORDER);
        }
        for (int j = end; j < n; j++) {
            float av = get(a, aScalar ? ai : ai + j);
            float bv = get(b, bScalar ? bi : bi + j);
            put(out, oi + j, op == ADD ? av + bv : op == SUBTRACT ? av - bv : av * bv);
        }
    }

    static final int ADD = 0;
    static final int SUBTRACT = 1;
    static final int MULTIPLY = 2;

    /** dst[di..di+n) = src[si..si+n), or += with accumulate. */
    static void copyRow(ByteBuffer src, int si, ByteBuffer dst, int di, int n, boolean accumulate) {
        int end = n / L * L;
        if (accumulate) {
            for (int j = 0; j < end; j += L) FloatVector.fromByteBuffer(F, dst, (di + j) << 2, ORDER)
                    .add(FloatVector.fromByteBuffer(F, src, (si + j) << 2, ORDER)).intoByteBuffer(dst, (di + j) << 2,
                    ORDER);
            for (int j = end; j < n; j++) put(dst, di + j, get(dst, di + j) + get(src, si + j));
        } else {
            for (int j = 0; j < end; j += L) FloatVector.fromByteBuffer(F, src, (si + j) << 2, ORDER)
                    .intoByteBuffer(dst, (di + j) << 2, ORDER);
            for (int j = end; j < n; j++) put(dst, di + j, get(src, si + j));
        }
    }

    // ======================================================================== column sums (bias / LayerNorm grads)

    /** Rows summed in float lanes before the partial sum goes into the double total: bounds the rounding error. */
    private static final int ROW_BLOCK = 64;

    /** dst[c] += sum over rows of src[r, c], for columns [c0, c1). */
    static void sumRows(ByteBuffer src, int rows, int cols, ByteBuffer dst, int c0, int c1) {
        int width = c1 - c0;
        int end = c0 + width / L * L;
        double[] total = new double[width];
        float[] block = new float[width];
        for (int rb = 0; rb < rows; rb += ROW_BLOCK) {
            int re = Math.min(rows, rb + ROW_BLOCK);
            for (int c = c0; c < end; c += L) {
                FloatVector acc = FloatVector.zero(F);
                for (int r = rb; r < re; r++) acc = acc.add(FloatVector.fromByteBuffer(F, src, (r * cols + c) << 2,
                        ORDER));
                acc.intoArray(block, c - c0);
            }
            for (int c = end; c < c1; c++) {
                float acc = 0f;
                for (int r = rb; r < re; r++) acc += get(src, r * cols + c);
                block[c - c0] = acc;
            }
            for (int j = 0; j < width; j++) total[j] += block[j];
        }
        for (int j = 0; j < width; j++) put(dst, c0 + j, get(dst, c0 + j) + (float) total[j]);
    }

    // ======================================================================== softmax

    /**
     * Rows [r0, r1) of softmax(scale * x + mask); see {@code Backend.softmaxForward}. Each pass over a row is its own
     * small method: with all of them in one body, Java 17's C2 ran out of inlining budget and boxed vectors (12 bytes
     * of garbage per element).
     */
    static void softmaxForward(ByteBuffer x, float scale, ByteBuffer mask, int rowsPerMaskRow, ByteBuffer out,
                               int cols, int r0, int r1) {
        softmaxForward(x, scale, mask, rowsPerMaskRow, out, 0, cols, r0, r1);
    }

    /** The same on rows that start {@code offset} floats into x and out (one sequence's scores in a packed batch). */
    static void softmaxForward(ByteBuffer x, float scale, ByteBuffer mask, int rowsPerMaskRow, ByteBuffer out,
                               int offset, int cols, int r0, int r1) {
        int padded = (cols + L - 1) / L * L;
        float[] row = new float[padded];
        for (int r = r0; r < r1; r++) {
            int base = offset + r * cols;
            // Padding lanes hold -inf (again for every row: exp overwrote them with 0), so they add nothing.
            java.util.Arrays.fill(row, cols, padded, Float.NEGATIVE_INFINITY);
            float max = mask == null ? scaledRow(x, base, scale, row, cols)
                    : scaledMaskedRow(x, base, scale, mask, (r / rowsPerMaskRow) * cols, row, cols);
            float inv = 1f / expShifted(row, padded, max);
            scaleRowInto(row, inv, out, base, cols);
        }
    }

    /** row = scale * x[base..base+cols); returns the row's maximum. */
    private static float scaledRow(ByteBuffer x, int base, float scale, float[] row, int cols) {
        int end = cols / L * L;
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < end; c += L) {
            FloatVector v = FloatVector.fromByteBuffer(F, x, (base + c) << 2, ORDER).mul(scale);
            v.intoArray(row, c);
            maxV = maxV.max(v);
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (int c = end; c < cols; c++) {
            row[c] = scale * get(x, base + c);
            max = Math.max(max, row[c]);
        }
        return max;
    }

    /** row = scale * x[base..base+cols) + mask[maskBase..]; returns the row's maximum. */
    private static float scaledMaskedRow(ByteBuffer x, int base, float scale, ByteBuffer mask, int maskBase,
                                         float[] row, int cols) {
        int end = cols / L * L;
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int c = 0; c < end; c += L) {
            FloatVector v = FloatVector.fromByteBuffer(F, x, (base + c) << 2, ORDER).mul(scale)
                    .add(FloatVector.fromByteBuffer(F, mask, (maskBase + c) << 2, ORDER));
            v.intoArray(row, c);
            maxV = maxV.max(v);
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (int c = end; c < cols; c++) {
            row[c] = scale * get(x, base + c) + get(mask, maskBase + c);
            max = Math.max(max, row[c]);
        }
        return max;
    }

    /** out[base + c] = row[c] * factor for c in [0, cols). */
    private static void scaleRowInto(float[] row, float factor, ByteBuffer out, int base, int cols) {
        int end = cols / L * L;
        for (int c = 0; c < end; c += L) FloatVector.fromArray(F, row, c).mul(factor).intoByteBuffer(out,
                (base + c) << 2, ORDER);
        for (int c = end; c < cols; c++) put(out, base + c, row[c] * factor);
    }

    /** Rows [r0, r1) of gx += scale * y * (gy - sum(gy * y)). */
    static void softmaxBackward(ByteBuffer y, ByteBuffer gy, float scale, ByteBuffer gx, int cols, int r0, int r1) {
        softmaxBackward(y, gy, scale, gx, 0, cols, r0, r1);
    }

    /** The same on rows that start {@code offset} floats into y, gy and gx. */
    static void softmaxBackward(ByteBuffer y, ByteBuffer gy, float scale, ByteBuffer gx, int offset, int cols, int r0,
                                int r1) {
        float[] floatLanes = new float[L];
        int end = cols / L * L;
        for (int r = r0; r < r1; r++) {
            int base = offset + r * cols;
            FloatVector dotV = FloatVector.zero(F);
            for (int c = 0; c < end; c += L) dotV = FloatVector.fromByteBuffer(F, gy, (base + c) << 2, ORDER)
                    .fma(FloatVector.fromByteBuffer(F, y, (base + c) << 2, ORDER), dotV);
            dotV.intoArray(floatLanes, 0);
            float dot = sumLanes(floatLanes);
            for (int c = end; c < cols; c++) dot += get(gy, base + c) * get(y, base + c);
            for (int c = 0; c < end; c += L) {
                int i = base + c;
                FloatVector update = FloatVector.fromByteBuffer(F, y, i << 2, ORDER).mul(scale)
                        .mul(FloatVector.fromByteBuffer(F, gy, i << 2, ORDER).sub(dot));
                FloatVector.fromByteBuffer(F, gx, i << 2, ORDER).add(update).intoByteBuffer(gx, i << 2, ORDER);
            }
            for (int c = end; c < cols; c++) {
                int i = base + c;
                put(gx, i, get(gx, i) + scale * get(y, i) * (get(gy, i) - dot));
            }
        }
    }

    // ======================================================================== LayerNorm

    /** Rows [r0, r1) of LayerNorm; saves mean and 1/std per row. */
    static void layerNormForward(ByteBuffer x, ByteBuffer weight, ByteBuffer bias, float eps, ByteBuffer out,
                                 ByteBuffer mean, ByteBuffer rstd, int cols, int r0, int r1) {
        float[] floatLanes = new float[L];
        int end = cols / L * L;
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            FloatVector sumV = FloatVector.zero(F);
            for (int c = 0; c < end; c += L) sumV = sumV.add(FloatVector.fromByteBuffer(F, x, (base + c) << 2, ORDER));
            sumV.intoArray(floatLanes, 0);
            float sum = sumLanes(floatLanes);
            for (int c = end; c < cols; c++) sum += get(x, base + c);
            float mu = sum / cols;
            FloatVector varV = FloatVector.zero(F);
            for (int c = 0; c < end; c += L) {
                FloatVector d = FloatVector.fromByteBuffer(F, x, (base + c) << 2, ORDER).sub(mu);
                varV = d.fma(d, varV);
            }
            varV.intoArray(floatLanes, 0);
            float var = sumLanes(floatLanes);
            for (int c = end; c < cols; c++) {
                float d = get(x, base + c) - mu;
                var += d * d;
            }
            float rs = (float) (1.0 / Math.sqrt(var / cols + eps));
            put(mean, r, mu);
            put(rstd, r, rs);
            for (int c = 0; c < end; c += L) {
                FloatVector norm = FloatVector.fromByteBuffer(F, x, (base + c) << 2, ORDER).sub(mu).mul(rs);
                norm.fma(FloatVector.fromByteBuffer(F, weight, c << 2, ORDER), FloatVector.fromByteBuffer(F, bias,
                        c << 2, ORDER)).intoByteBuffer(out, (base + c) << 2, ORDER);
            }
            for (int c = end; c < cols; c++) {
                put(out, base + c, (get(x, base + c) - mu) * rs * get(weight, c) + get(bias, c));
            }
        }
    }

    /** Rows [r0, r1) of gx += rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = gy * w. */
    static void layerNormBackwardInput(ByteBuffer x, ByteBuffer weight, ByteBuffer mean, ByteBuffer rstd,
                                       ByteBuffer gy, ByteBuffer gx, int cols, int r0, int r1) {
        double[] doubleLanes = new double[DL];
        int end = cols / L * L;
        for (int r = r0; r < r1; r++) {
            int base = r * cols;
            float mu = get(mean, r);
            float rs = get(rstd, r);
            // Both sums in double: the terms cancel (their sum is near zero by construction), and the embedding
            // gradients add these rows up again over every position.
            int doubleEnd = cols / DL * DL;
            DoubleVector sumDxhatV = DoubleVector.zero(D);
            DoubleVector sumDxhatXhatV = DoubleVector.zero(D);
            for (int c = 0; c < doubleEnd; c += DL) {
                DoubleVector xhat = ((DoubleVector) FloatVector.fromByteBuffer(F_AS_D, x, (base + c) << 2, ORDER)
                        .castShape(D, 0)).sub(mu).mul(rs);
                DoubleVector dxhat = ((DoubleVector) FloatVector.fromByteBuffer(F_AS_D, gy, (base + c) << 2, ORDER)
                        .castShape(D, 0)).mul(((DoubleVector) FloatVector.fromByteBuffer(F_AS_D, weight, c << 2,
                        ORDER).castShape(D, 0)));
                sumDxhatV = sumDxhatV.add(dxhat);
                sumDxhatXhatV = dxhat.fma(xhat, sumDxhatXhatV);
            }
            sumDxhatV.intoArray(doubleLanes, 0);
            double sumDxhat = sumLanes(doubleLanes);
            sumDxhatXhatV.intoArray(doubleLanes, 0);
            double sumDxhatXhat = sumLanes(doubleLanes);
            for (int c = doubleEnd; c < cols; c++) {
                double xhat = (get(x, base + c) - mu) * (double) rs;
                double dxhat = (double) get(gy, base + c) * get(weight, c);
                sumDxhat += dxhat;
                sumDxhatXhat += dxhat * xhat;
            }
            float meanDxhat = (float) (sumDxhat / cols);
            float meanDxhatXhat = (float) (sumDxhatXhat / cols);
            for (int c = 0; c < end; c += L) {
                int i = base + c;
                FloatVector xhat = FloatVector.fromByteBuffer(F, x, i << 2, ORDER).sub(mu).mul(rs);
                FloatVector dxhat = FloatVector.fromByteBuffer(F, gy, i << 2, ORDER)
                        .mul(FloatVector.fromByteBuffer(F, weight, c << 2, ORDER));
                FloatVector update = dxhat.sub(meanDxhat).sub(xhat.mul(meanDxhatXhat)).mul(rs);
                FloatVector.fromByteBuffer(F, gx, i << 2, ORDER).add(update).intoByteBuffer(gx, i << 2, ORDER);
            }
            for (int c = end; c < cols; c++) {
                int i = base + c;
                float xhat = (get(x, i) - mu) * rs;
                float dxhat = get(gy, i) * get(weight, c);
                put(gx, i, get(gx, i) + rs * (dxhat - meanDxhat - xhat * meanDxhatXhat));
            }
        }
    }

    /** Columns [c0, c1) of gWeight += sum_r gy * xhat and gBias += sum_r gy (either may be null). */
    static void layerNormBackwardParams(ByteBuffer x, ByteBuffer mean, ByteBuffer rstd, ByteBuffer gy,
                                        ByteBuffer gWeight, ByteBuffer gBias, int rows, int cols, int c0, int c1) {
        int width = c1 - c0;
        int end = c0 + width / L * L;
        double[] totalW = new double[width];
        double[] totalB = new double[width];
        float[] blockW = new float[width];
        float[] blockB = new float[width];
        for (int rb = 0; rb < rows; rb += ROW_BLOCK) {
            int re = Math.min(rows, rb + ROW_BLOCK);
            java.util.Arrays.fill(blockW, 0f);
            java.util.Arrays.fill(blockB, 0f);
            for (int r = rb; r < re; r++) {
                int base = r * cols;
                float mu = get(mean, r);
                float rs = get(rstd, r);
                for (int c = c0; c < end; c += L) {
                    FloatVector g = FloatVector.fromByteBuffer(F, gy, (base + c) << 2, ORDER);
                    FloatVector xhat = FloatVector.fromByteBuffer(F, x, (base + c) << 2, ORDER).sub(mu).mul(rs);
                    g.fma(xhat, FloatVector.fromArray(F, blockW, c - c0)).intoArray(blockW, c - c0);
                    g.add(FloatVector.fromArray(F, blockB, c - c0)).intoArray(blockB, c - c0);
                }
                for (int c = end; c < c1; c++) {
                    float g = get(gy, base + c);
                    blockW[c - c0] += g * ((get(x, base + c) - mu) * rs);
                    blockB[c - c0] += g;
                }
            }
            for (int j = 0; j < width; j++) {
                totalW[j] += blockW[j];
                totalB[j] += blockB[j];
            }
        }
        for (int j = 0; j < width; j++) {
            if (gWeight != null) put(gWeight, c0 + j, get(gWeight, c0 + j) + (float) totalW[j]);
            if (gBias != null) put(gBias, c0 + j, get(gBias, c0 + j) + (float) totalB[j]);
        }
    }

    // ======================================================================== reductions

    /** Sum of x[from, to) in float lanes per block, blocks added in double. */
    static double sum(ByteBuffer x, int from, int to, boolean squares) {
        float[] floatLanes = new float[L];
        double total = 0;
        int blockLength = L * 256;
        for (int b0 = from; b0 < to; b0 += blockLength) {
            int b1 = Math.min(to, b0 + blockLength);
            int end = vectorEnd(b0, b1);
            FloatVector acc = FloatVector.zero(F);
            for (int i = b0; i < end; i += L) {
                FloatVector v = FloatVector.fromByteBuffer(F, x, i << 2, ORDER);
                acc = squares ? v.fma(v, acc) : acc.add(v);
            }
            acc.intoArray(floatLanes, 0);
            total += sumLanes(floatLanes);
            for (int i = end; i < b1; i++) {
                double v = get(x, i);
                total += squares ? v * v : v;
            }
        }
        return total;
    }

    // ======================================================================== optimizer

    /** AdamW over [from, to), operation for operation as the scalar kernel (no fused multiply-add): same bits. */
    static void adamw(ByteBuffer p, ByteBuffer g, ByteBuffer m, ByteBuffer v, float beta1, float beta2, float eps,
                      float decay, float stepSize, float sqrtBiasCorrection2, int from, int to) {
        int end = vectorEnd(from, to);
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = from; i < end; i += L) {
            FloatVector gi = FloatVector.fromByteBuffer(F, g, i << 2, ORDER);
            FloatVector mi = FloatVector.fromByteBuffer(F, m, i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector vi = FloatVector.fromByteBuffer(F, v, i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2)
                    .mul(gi));
            mi.intoByteBuffer(m, i << 2, ORDER);
            vi.intoByteBuffer(v, i << 2, ORDER);
            FloatVector denom = vi.lanewise(VectorOperators.SQRT).div(sqrtBiasCorrection2).add(eps);
            FloatVector.fromByteBuffer(F, p, i << 2, ORDER).mul(decay).sub(mi.mul(stepSize).div(denom))
                    .intoByteBuffer(p, i << 2, ORDER);
        }
        for (int i = end; i < to; i++) {
            float gi = get(g, i);
            float mi = beta1 * get(m, i) + oneMinusBeta1 * gi;
            float vi = beta2 * get(v, i) + oneMinusBeta2 * gi * gi;
            put(m, i, mi);
            put(v, i, vi);
            float denom = (float) Math.sqrt(vi) / sqrtBiasCorrection2 + eps;
            put(p, i, get(p, i) * decay - stepSize * mi / denom);
        }
    }
}
