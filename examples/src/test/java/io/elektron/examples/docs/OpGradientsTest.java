package io.elektron.examples.docs;

import io.elektron.core.Tensor;
import io.elektron.core.ops.Activations;
import io.elektron.core.ops.EmbeddingLookup;
import io.elektron.core.ops.LayerNormalization;
import io.elektron.core.ops.Losses;
import io.elektron.core.ops.Softmax;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snippets of docs/internals/02-ops-and-gradients.md: each derivation checked against the op's backward. */
class OpGradientsTest {
    static void assertClose(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-5f);
    }

    @Test
    void matmul() {
        Tensor a = Tensor.randn(1, 1f, 2, 3).requiresGrad(true); // A [M, K]
        Tensor b = Tensor.randn(2, 1f, 3, 4).requiresGrad(true); // B [K, N]
        Tensor dc = Tensor.randn(3, 1f, 2, 4);                   // dL/dC [M, N], from upstream
        a.matmul(b).backward(dc);
        assertClose(dc.matmul(b.detach().transpose(0, 1)), a.grad()); // dA = dC B^T
        assertClose(a.detach().transpose(0, 1).matmul(dc), b.grad()); // dB = A^T dC
    }

    @Test
    void softmaxWithMask() {
        Tensor x = Tensor.of(new float[]{1f, 2f, 3f, 4f}, 1, 4).requiresGrad(true);    // scores [B 1, T 4]
        Tensor mask = Tensor.of(new float[]{0f, 0f, 0f, -Float.MAX_VALUE}, 1, 4);       // last key is padding
        Tensor y = Softmax.softmax(x, mask, 0.5f);                                      // softmax(0.5 x + mask)
        float[] p = y.toFloatArray();
        assertEquals(0f, p[3]);                                  // padding gets no attention
        assertEquals(1f, p[0] + p[1] + p[2], 1e-6f);

        float[] dy = {0.3f, -1f, 0.5f, 2f};
        y.backward(Tensor.of(dy, 1, 4));
        double dot = 0;                                          // sum_j dy_j y_j
        for (int j = 0; j < 4; j++) dot += dy[j] * p[j];
        float[] dx = x.grad().toFloatArray();
        for (int j = 0; j < 4; j++) assertEquals(0.5 * p[j] * (dy[j] - dot), dx[j], 1e-6); // scale * y (dy - y.dy)
        assertEquals(0f, dx[3]);                                 // and the padded score no gradient
    }

    @Test
    void layerNorm() {
        Tensor x = Tensor.randn(4, 1f, 3, 6).requiresGrad(true);
        Tensor w = Tensor.full(1f, 6);
        Tensor b = Tensor.zeros(6);
        Tensor y = LayerNormalization.layerNorm(x, w, b, 1e-12f);
        y.backward(Tensor.randn(5, 1f, 3, 6));
        float[] dx = x.grad().toFloatArray();
        float[] xhat = y.toFloatArray();                         // with w = 1, b = 0 the output IS xhat
        for (int row = 0; row < 3; row++) {
            double sum = 0;
            double dotXhat = 0;
            for (int c = 0; c < 6; c++) {
                sum += dx[row * 6 + c];
                dotXhat += dx[row * 6 + c] * xhat[row * 6 + c];
            }
            assertEquals(0, sum, 1e-5);                          // shifting a row does not change its output
            assertEquals(0, dotXhat, 1e-5);                      // nor does scaling it
        }
    }

    @Test
    void geluErf() {
        Tensor x = Tensor.of(new float[]{-2f, -0.5f, 0f, 0.7f, 3f}, 5).requiresGrad(true);
        Activations.gelu(x).sum().backward();
        float[] g = x.grad().toFloatArray();
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            double phi = Math.exp(-v[i] * v[i] / 2) / Math.sqrt(2 * Math.PI);     // standard normal density
            double cdf = 0.5 * (1 + erf(v[i] / Math.sqrt(2)));                      // its distribution function
            assertEquals(cdf + v[i] * phi, g[i], 1e-6);                             // d/dx x Phi(x)
        }
    }

    @Test
    void bceWithLogits() {
        Tensor logits = Tensor.of(new float[]{2f, -1f, 0.5f, -3f, 0f, 4f}, 2, 3).requiresGrad(true);
        float[] y = {1, 0, 1, 0, 0, 1};
        Losses.bceWithLogits(logits, Tensor.of(y, 2, 3), null).backward();
        float[] x = logits.toFloatArray();
        float[] g = logits.grad().toFloatArray();
        for (int i = 0; i < 6; i++) {
            assertEquals((1 / (1 + Math.exp(-x[i])) - y[i]) / 6, g[i], 1e-7);       // (sigmoid(x) - y) / (N L)
        }
    }

    @Test
    void embeddingScatterAdd() {
        Tensor table = Tensor.randn(6, 1f, 5, 3).requiresGrad(true);               // 5 rows of dim 3
        int[] ids = {4, 1, 4, 0};                                                  // row 4 twice; 0 is padding
        Tensor rows = EmbeddingLookup.lookup(table, ids, new int[]{4}, 0);         // [4, 3]
        rows.backward(Tensor.full(1f, 4, 3));
        float[] g = table.grad().toFloatArray();
        assertEquals(2f, g[4 * 3]);                              // used twice: two gradients added up
        assertEquals(1f, g[3]);
        assertEquals(0f, g[0]);                                  // padding_idx never gets gradient
        assertArrayEquals(new int[]{1, 4}, table.grad() == null ? null : table.gradTouchedRows());
        assertFalse(table.gradIsDense());                        // so FGM and optimizers can touch 2 rows, not 5
        assertNull(rows.grad());                                 // intermediates' gradients are freed after use
        assertTrue(rows.isLeaf());                               // and so is the graph
    }

    /** erf by a 30-term Maclaurin series: plenty for |z| <= 3 in double. */
    private static double erf(double z) {
        double sum = 0;
        double term = z;
        for (int n = 0; n < 60; n++) {
            sum += term / (2 * n + 1);
            term *= -z * z / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
