package io.elektron.core.cpu;

import io.elektron.core.spec.CounterRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SIMD kernels against references written here in double precision from the formulas (not from the scalar
 * kernels), on sizes that leave a scalar tail (37 columns, 1,003 elements) so both halves of every kernel run.
 * The op-level gradient checks and the HF parity tests exercise the same kernels through the whole stack.
 */
class VectorKernelsTest {
    private static final int ROWS = 9;
    private static final int COLS = 37;

    @BeforeAll
    static void needsVectorApi() {
        Assumptions.assumeTrue(Simd.ENABLED, "SIMD kernels are off in this JVM (" + Simd.describe()
                + "): the scalar loops are what runs, and every other test covers them");
    }

    private static CpuStorage storage(float[] values) {
        CpuStorage s = new CpuStorage(values.length);
        s.buffer().duplicate().put(values);
        return s;
    }

    private static float[] read(CpuStorage s) {
        float[] out = new float[(int) s.size()];
        s.buffer().duplicate().get(out);
        return out;
    }

    private static float[] random(long seed, int n, double scale) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
        return v;
    }

    private static double erfReference(double z) {
        // erf by its Taylor series (|z| <= 3 here: 80 terms converge far below float precision) or 1 beyond.
        if (Math.abs(z) > 6) return Math.signum(z);
        double term = z;
        double sum = z;
        for (int n = 1; n < 200; n++) {
            term *= -z * z / n;
            double add = term / (2 * n + 1);
            sum += add;
            if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    private static float[] geluInputs() {
        // Dense around 0 and the series / tail switch at |x| = 0.5 * sqrt 2, plus the usual pre-activation range.
        int n = 1003;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = -4.2f + 8.4f * i / (n - 1);
        x[0] = 0f;
        x[1] = 0.7071f;
        x[2] = -0.7072f;
        x[3] = 1e-4f;
        return x;
    }

    @Test
    void expIsWithinTwoUlpOfMathExpAndHandlesTheEdges() {
        int lanes = VectorKernels.lanes();
        float[] x = new float[lanes * 4000];
        for (int i = 0; i < x.length; i++) x[i] = -90f + 180f * i / (x.length - 1);
        float[] got = x.clone();
        float sum = VectorKernels.expShifted(got, got.length, 0f);
        assertEquals(Float.POSITIVE_INFINITY, sum, "the sum includes the overflowing lanes");
        for (int i = 0; i < x.length; i++) {
            double expected = Math.exp(x[i]);
            if (x[i] < -87.33654f) {
                assertEquals(0f, got[i], "exp(" + x[i] + ") flushes below the normal range");
            } else if (expected > Float.MAX_VALUE) {
                assertEquals(Float.POSITIVE_INFINITY, got[i], "exp(" + x[i] + ") overflows");
            } else {
                assertEquals(expected, got[i], 2 * Math.ulp((float) expected), "exp(" + x[i] + ")");
            }
        }
        float[] edges = new float[lanes];
        edges[0] = Float.NaN;
        edges[1] = Float.NEGATIVE_INFINITY;
        edges[2] = Float.POSITIVE_INFINITY;
        edges[3] = -3.4028235e38f;
        float[] edgeResults = edges.clone();
        VectorKernels.expShifted(edgeResults, lanes, 0f);
        assertTrue(Float.isNaN(edgeResults[0]), "exp(NaN) is NaN");
        assertEquals(0f, edgeResults[1]);
        assertEquals(Float.POSITIVE_INFINITY, edgeResults[2]);
        assertEquals(0f, edgeResults[3], "exp(finfo.min) from HF's padding mask is 0");
        assertEquals(1f, edgeResults[4], "exp(0)");
        float[] shifted = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f};
        float shiftedSum = VectorKernels.expShifted(shifted, lanes, 3f);
        assertEquals(Math.exp(-2), shifted[0], 2 * Math.ulp((float) Math.exp(-2)), "exp(a - shift)");
        double expectedSum = 0;
        for (int i = 0; i < lanes; i++) expectedSum += Math.exp(i + 1 - 3);
        assertEquals(expectedSum, shiftedSum, 1e-6 * expectedSum, "the returned sum");
    }

    @Test
    void geluForwardMatchesTheErfDefinition() {
        float[] x = geluInputs();
        CpuStorage in = storage(x);
        CpuStorage out = new CpuStorage(x.length);
        VectorKernels.gelu(in.bytes(), out.bytes(), 0, x.length);
        float[] y = read(out);
        for (int i = 0; i < x.length; i++) {
            double expected = x[i] * 0.5 * (1 + erfReference(x[i] / Math.sqrt(2)));
            // A-S 7.1.26 is good to 1.5e-7 in erf; float rounding adds a few ulp.
            assertEquals(expected, y[i], 2e-7 * Math.max(1, Math.abs(x[i])) + 4e-7 * Math.abs(expected),
                    "gelu(" + x[i] + ")");
        }
    }

    @Test
    void geluBackwardMatchesTheDerivative() {
        float[] x = geluInputs();
        float[] gy = random(3, x.length, 1);
        float[] gx0 = random(4, x.length, 1);
        CpuStorage gx = storage(gx0);
        VectorKernels.geluBackward(storage(x).bytes(), storage(gy).bytes(), gx.bytes(), 0, x.length);
        float[] got = read(gx);
        for (int i = 0; i < x.length; i++) {
            double cdf = 0.5 * (1 + erfReference(x[i] / Math.sqrt(2)));
            double pdf = Math.exp(-0.5 * x[i] * x[i]) / Math.sqrt(2 * Math.PI);
            double expected = gx0[i] + gy[i] * (cdf + x[i] * pdf);
            assertEquals(expected, got[i], 1e-6 * (1 + Math.abs(expected)), "gelu'(" + x[i] + ")");
        }
    }

    @Test
    void softmaxForwardAndBackwardMatchDoublePrecision() {
        float[] x = random(5, ROWS * COLS, 3);
        float[] mask = new float[3 * COLS]; // one mask row per 3 score rows, as [B, Tk] for [B, heads, Tq, Tk]
        for (int c = 30; c < COLS; c++) mask[COLS + c] = -3.4028235e38f; // HF's finfo.min padding mask
        float scale = 0.125f;
        CpuStorage out = new CpuStorage(x.length);
        VectorKernels.softmaxForward(storage(x).bytes(), scale, storage(mask).bytes(), 3, out.bytes(), COLS, 0, ROWS);
        float[] y = read(out);
        double[] yRef = new double[x.length];
        for (int r = 0; r < ROWS; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] v = new double[COLS];
            for (int c = 0; c < COLS; c++) {
                v[c] = (double) scale * x[r * COLS + c] + mask[(r / 3) * COLS + c];
                max = Math.max(max, v[c]);
            }
            double sum = 0;
            for (int c = 0; c < COLS; c++) sum += Math.exp(v[c] - max);
            for (int c = 0; c < COLS; c++) {
                yRef[r * COLS + c] = Math.exp(v[c] - max) / sum;
                assertEquals(yRef[r * COLS + c], y[r * COLS + c], 1e-6 * yRef[r * COLS + c] + 1e-9,
                        "softmax row " + r + " col " + c);
            }
        }
        float[] gy = random(6, x.length, 1);
        float[] gx0 = random(7, x.length, 1);
        CpuStorage gx = storage(gx0);
        VectorKernels.softmaxBackward(storage(y).bytes(), storage(gy).bytes(), scale, gx.bytes(), COLS, 0, ROWS);
        float[] got = read(gx);
        for (int r = 0; r < ROWS; r++) {
            double dot = 0;
            for (int c = 0; c < COLS; c++) dot += (double) gy[r * COLS + c] * y[r * COLS + c];
            for (int c = 0; c < COLS; c++) {
                int i = r * COLS + c;
                double expected = gx0[i] + scale * y[i] * (gy[i] - dot);
                assertEquals(expected, got[i], 1e-6 * (1 + Math.abs(expected)), "softmax grad " + i);
            }
        }
    }

    @Test
    void layerNormForwardAndBackwardMatchDoublePrecision() {
        float[] x = random(8, ROWS * COLS, 2);
        for (int i = 0; i < x.length; i++) x[i] += 5f; // an offset mean: the variance must not cancel badly
        float[] w = random(9, COLS, 1);
        float[] b = random(10, COLS, 1);
        float eps = 1e-12f;
        CpuStorage out = new CpuStorage(x.length);
        CpuStorage mean = new CpuStorage(ROWS);
        CpuStorage rstd = new CpuStorage(ROWS);
        CpuStorage xs = storage(x);
        CpuStorage ws = storage(w);
        VectorKernels.layerNormForward(xs.bytes(), ws.bytes(), storage(b).bytes(), eps, out.bytes(), mean.bytes(),
                rstd.bytes(), COLS, 0, ROWS);
        float[] y = read(out);
        double[] xhat = new double[x.length];
        double[] rs = new double[ROWS];
        for (int r = 0; r < ROWS; r++) {
            double mu = 0;
            for (int c = 0; c < COLS; c++) mu += x[r * COLS + c];
            mu /= COLS;
            double var = 0;
            for (int c = 0; c < COLS; c++) var += Math.pow(x[r * COLS + c] - mu, 2);
            rs[r] = 1 / Math.sqrt(var / COLS + eps);
            for (int c = 0; c < COLS; c++) {
                int i = r * COLS + c;
                xhat[i] = (x[i] - mu) * rs[r];
                double expected = xhat[i] * w[c] + b[c];
                assertEquals(expected, y[i], 2e-6 * (1 + Math.abs(expected)), "layer norm " + i);
            }
        }
        float[] gy = random(11, x.length, 1);
        float[] gx0 = random(12, x.length, 1);
        CpuStorage gx = storage(gx0);
        CpuStorage gw = storage(new float[COLS]);
        CpuStorage gb = storage(new float[COLS]);
        CpuStorage gys = storage(gy);
        VectorKernels.layerNormBackwardInput(xs.bytes(), ws.bytes(), mean.bytes(), rstd.bytes(), gys.bytes(),
                gx.bytes(), COLS, 0, ROWS);
        VectorKernels.layerNormBackwardParams(xs.bytes(), mean.bytes(), rstd.bytes(), gys.bytes(), gw.bytes(),
                gb.bytes(), ROWS, COLS, 0, COLS);
        float[] gotX = read(gx);
        float[] gotW = read(gw);
        float[] gotB = read(gb);
        for (int r = 0; r < ROWS; r++) {
            double meanD = 0;
            double meanDX = 0;
            for (int c = 0; c < COLS; c++) {
                double d = (double) gy[r * COLS + c] * w[c];
                meanD += d / COLS;
                meanDX += d * xhat[r * COLS + c] / COLS;
            }
            for (int c = 0; c < COLS; c++) {
                int i = r * COLS + c;
                double expected = gx0[i] + rs[r] * (gy[i] * w[c] - meanD - xhat[i] * meanDX);
                assertEquals(expected, gotX[i], 2e-5 * (1 + Math.abs(expected)), "layer norm dx " + i);
            }
        }
        for (int c = 0; c < COLS; c++) {
            double dw = 0;
            double db = 0;
            for (int r = 0; r < ROWS; r++) {
                dw += gy[r * COLS + c] * xhat[r * COLS + c];
                db += gy[r * COLS + c];
            }
            assertEquals(dw, gotW[c], 2e-5 * (1 + Math.abs(dw)), "layer norm dw " + c);
            assertEquals(db, gotB[c], 1e-5 * (1 + Math.abs(db)), "layer norm db " + c);
        }
    }

    @Test
    void columnSumsOverManyRowsStayAccurate() {
        int rows = 2051; // more than one block of rows, with a partial last block
        float[] src = random(13, rows * COLS, 1);
        float[] dst0 = random(14, COLS, 1);
        CpuStorage dst = storage(dst0);
        VectorKernels.sumRows(storage(src).bytes(), rows, COLS, dst.bytes(), 0, COLS);
        float[] got = read(dst);
        for (int c = 0; c < COLS; c++) {
            double expected = dst0[c];
            for (int r = 0; r < rows; r++) expected += src[r * COLS + c];
            assertEquals(expected, got[c], 1e-5 * (1 + Math.abs(expected)), "column " + c);
        }
    }

    @Test
    void adamwIsBitIdenticalToTheScalarFormula() {
        int n = 1003;
        float[] p = random(15, n, 1);
        float[] g = random(16, n, 0.1);
        float[] m = random(17, n, 0.01);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = Math.abs(random(18, n, 0.001)[i]);
        float lr = 1e-3f;
        float b1 = 0.9f;
        float b2 = 0.999f;
        float eps = 1e-8f;
        float decay = 1f - lr * 0.01f;
        float stepSize = lr / (1f - b1 * b1);
        float sqrtBc2 = (float) Math.sqrt(1 - b2 * b2);
        CpuStorage ps = storage(p);
        CpuStorage ms = storage(m);
        CpuStorage vs = storage(v);
        VectorKernels.adamw(ps.bytes(), storage(g).bytes(), ms.bytes(), vs.bytes(), b1, b2, eps, decay, stepSize,
                sqrtBc2, 0, n);
        float[] gotP = read(ps);
        for (int i = 0; i < n; i++) {
            float mi = b1 * m[i] + (1f - b1) * g[i];
            float vi = b2 * v[i] + (1f - b2) * g[i] * g[i];
            float denom = (float) Math.sqrt(vi) / sqrtBc2 + eps;
            float expected = p[i] * decay - stepSize * mi / denom;
            assertEquals(expected, gotP[i], 0f, "param " + i);
        }
    }

    @Test
    void dropoutDrawsTheScalarStreamBitForBit() {
        int n = 4099;
        float[] x = random(22, n, 1);
        int[] keys = CounterRandom.keys(1234L);
        float p = 0.1f;
        int threshold = (int) Math.ceil(p * (1 << 24));
        float keepScale = 1f / (1f - p);
        CpuStorage mask = new CpuStorage(n);
        CpuStorage out = new CpuStorage(n);
        // From an odd start, so vector lanes and the counter are not aligned by accident.
        VectorKernels.dropout(storage(x).bytes(), keys[0], keys[1], threshold, keepScale, mask.bytes(), out.bytes(), 3, n);
        float[] m = read(mask);
        float[] y = read(out);
        int dropped = 0;
        for (int i = 3; i < n; i++) {
            float expected = (CounterRandom.draw(keys[0], keys[1], i) >>> 8) >= threshold ? keepScale : 0f;
            assertEquals(expected, m[i], 0f, "mask " + i);
            assertEquals(x[i] * expected, y[i], 0f, "output " + i);
            if (m[i] == 0f) dropped++;
        }
        // Binomial(4096, 0.1): mean 410, sd 19.
        assertTrue(Math.abs(dropped - 0.1 * (n - 3)) < 5 * 19.2, "dropped " + dropped + " of " + (n - 3));
    }

    @Test
    void sumsAndBroadcastRowsMatch() {
        float[] x = random(19, 5003, 1);
        CpuStorage xs = storage(x);
        double sum = 0;
        double squares = 0;
        for (float f : x) {
            sum += f;
            squares += (double) f * f;
        }
        assertEquals(sum, VectorKernels.sum(xs.bytes(), 0, x.length, false), 1e-4);
        assertEquals(squares, VectorKernels.sum(xs.bytes(), 0, x.length, true), 1e-6 * squares);

        float[] a = random(20, COLS, 1);
        float[] b = random(21, 1, 1);
        CpuStorage out = new CpuStorage(COLS);
        VectorKernels.binaryRow(VectorKernels.SUBTRACT, storage(a).bytes(), 0, false, storage(b).bytes(), 0, true,
                out.bytes(), 0, COLS);
        float[] got = read(out);
        for (int c = 0; c < COLS; c++) assertEquals(a[c] - b[0], got[c], 0f, "a - b at " + c);
        assertTrue(VectorKernels.lanes() >= 4, "a float vector has at least 4 lanes on x86-64");
    }
}
