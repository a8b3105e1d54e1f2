package io.elektron.core;

import io.elektron.core.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GEMMs large enough to be split across threads (by rows, and by columns when C is wide), and batched GEMMs run side by
 * side, against a double-precision triple loop.
 */
class GemmSplitTest {
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }

    private static void check(int m, int n, int k, boolean ta, boolean tb, float beta) {
        Backend be = CpuBackend.get();
        float[] a = random(m * k, 1);
        float[] b = random(k * n, 2);
        float[] c0 = random(m * n, 3);
        Tensor ta_ = Tensor.of(a, m * k);
        Tensor tb_ = Tensor.of(b, k * n);
        Tensor tc = Tensor.of(c0, m * n);
        int lda = ta ? m : k;
        int ldb = tb ? k : n;
        be.gemm(ta, tb, m, n, k, 0.5f, ta_.storage(), 0, lda, tb_.storage(), 0, ldb, beta, tc.storage(), 0, n);
        float[] c = tc.toFloatArray();
        for (int i = 0; i < m; i += 7) {
            for (int j = 0; j < n; j += 5) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * lda + i] : a[i * lda + p];
                    double y = tb ? b[j * ldb + p] : b[p * ldb + j];
                    acc += x * y;
                }
                double expected = 0.5 * acc + beta * c0[i * n + j];
                assertEquals(expected, c[i * n + j], 1e-4, m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " at " + i + "," + j);
            }
        }
    }

    @Test
    void splitGemmsMatchTheTripleLoop() {
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                check(301, 203, 157, ta, tb, 0f);   // split by rows
                check(33, 1500, 129, ta, tb, 1f);   // short and wide: split by columns, accumulating
            }
        }
    }

    @Test
    void batchedGemmsMatchPerItemGemms() {
        Backend be = CpuBackend.get();
        int batch = 9, m = 64, n = 48, k = 40;
        Tensor a = Tensor.randn(1, 1f, batch, m, k);
        Tensor b = Tensor.randn(2, 1f, batch, k, n);
        Tensor c = Tensor.zeros(batch, m, n);
        be.gemmStridedBatched(false, false, m, n, k, 1f, a.storage(), 0, k, (long) m * k, b.storage(), 0, n, (long) k * n,
                0f, c.storage(), 0, n, (long) m * n, batch);
        float[] av = a.toFloatArray();
        float[] bv = b.toFloatArray();
        float[] cv = c.toFloatArray();
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i += 9) {
                for (int j = 0; j < n; j += 7) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) acc += (double) av[t * m * k + i * k + p] * bv[t * k * n + p * n + j];
                    assertEquals(acc, cv[t * m * n + i * n + j], 1e-4);
                }
            }
        }
    }
}
