package io.elektron.core;

import io.elektron.core.ops.Activations;
import io.elektron.core.ops.AttentionProducts;
import io.elektron.core.ops.DropoutOp;
import io.elektron.core.ops.EmbeddingLookup;
import io.elektron.core.ops.LayerNormalization;
import io.elektron.core.ops.Losses;
import io.elektron.core.ops.MatMul;
import io.elektron.core.ops.ShapeOps;
import io.elektron.core.ops.Softmax;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forward values against numbers worked out by hand (or from closed forms / published tables). */
class OpForwardTest {
    @Test
    void matmulSmallCase() {
        Tensor a = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[]{7, 8, 9, 10, 11, 12}, 3, 2);
        // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154]
        assertArrayEquals(new float[]{58, 64, 139, 154}, a.matmul(b).toFloatArray());
        // a^T a = [17 22 27; 22 29 36; 27 36 45]
        assertArrayEquals(new float[]{17, 22, 27, 22, 29, 36, 27, 36, 45}, MatMul.matmul(a, a, true, false).toFloatArray());
    }

    @Test
    void linearAddsBiasAfterTransposedWeight() {
        Tensor x = Tensor.of(new float[]{1, 2}, 1, 2);
        Tensor w = Tensor.of(new float[]{1, 0, 0, 1, 1, 1}, 3, 2); // [out=3, in=2]
        Tensor b = Tensor.of(new float[]{10, 20, 30}, 3);
        assertArrayEquals(new float[]{11, 22, 33}, MatMul.linear(x, w, b).toFloatArray());
    }

    @Test
    void geluMatchesErfValues() {
        // gelu(x) = x * Phi(x); Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707, Phi(0.05) = 0.5199388058
        float[] y = Activations.gelu(Tensor.of(new float[]{1f, -1f, 0.05f, 0f, 6f}, 5)).toFloatArray();
        assertEquals(0.8413447460685429, y[0], 1e-7);
        assertEquals(-0.15865525393145707, y[1], 1e-7);
        assertEquals(0.05 * 0.5199388058383725, y[2], 1e-9);
        assertEquals(0.0, y[3], 0.0);
        assertEquals(6.0 * 0.9999999990134123, y[4], 1e-6);
    }

    @Test
    void softmaxMaskAndScale() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 1, 2, 3}, 2, 1, 3);
        Tensor mask = Tensor.of(new float[]{0, 0, 0, 0, 0, -Float.MAX_VALUE}, 2, 3);
        float[] y = Softmax.softmax(x, mask, 2f).toFloatArray();
        // row 0: softmax(2, 4, 6) = e^{-4}, e^{-2}, 1 normalised
        double z = Math.exp(-4) + Math.exp(-2) + 1;
        assertEquals(Math.exp(-4) / z, y[0], 1e-7);
        assertEquals(1 / z, y[2], 1e-7);
        // row 1: last key masked with float32 min (HF's value): softmax(2, 4)
        assertEquals(1 / (1 + Math.exp(2)), y[3], 1e-7);
        assertEquals(0.0, y[5], 0.0);
    }

    @Test
    void layerNormUsesBiasedVariance() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4}, 1, 4);
        Tensor w = Tensor.of(new float[]{1, 1, 2, 2}, 4);
        Tensor b = Tensor.of(new float[]{0, 0, 0, 1}, 4);
        // mean 2.5, biased var 1.25, std sqrt(1.25)
        double s = Math.sqrt(1.25);
        float[] y = LayerNormalization.layerNorm(x, w, b, 0f).toFloatArray();
        assertEquals(-1.5 / s, y[0], 1e-6);
        assertEquals(2 * 0.5 / s, y[2], 1e-6);
        assertEquals(2 * 1.5 / s + 1, y[3], 1e-6);
    }

    @Test
    void bceWithLogitsAgainstClosedForm() {
        Tensor logits = Tensor.of(new float[]{0f, 2f}, 1, 2);
        Tensor targets = Tensor.of(new float[]{1f, 0f}, 1, 2);
        // mean(log 2, softplus(2)) ; with pos_weight 3 on the first: mean(3 log 2, softplus(2))
        double softplus2 = Math.log1p(Math.exp(2));
        assertEquals((Math.log(2) + softplus2) / 2, Losses.bceWithLogits(logits, targets, null).item(), 1e-6);
        Tensor pw = Tensor.of(new float[]{3f, 1f}, 2);
        assertEquals((3 * Math.log(2) + softplus2) / 2, Losses.bceWithLogits(logits, targets, pw).item(), 1e-6);
    }

    @Test
    void crossEntropyIgnoresIndex() {
        Tensor logits = Tensor.of(new float[]{0, 0, 0, 1, 2, 3}, 2, 3);
        // row 0 ignored; row 1: log(e + e^2 + e^3) - 1
        double expected = Math.log(Math.E + Math.exp(2) + Math.exp(3)) - 1;
        assertEquals(expected, Losses.crossEntropy(logits, new int[]{-100, 0}, -100).item(), 1e-6);
        assertTrue(Float.isNaN(Losses.crossEntropy(logits, new int[]{-100, -100}, -100).item()));
    }

    @Test
    void embeddingGathersRows() {
        Tensor w = Tensor.of(new float[]{0, 0, 1, 1, 2, 2}, 3, 2);
        Tensor y = EmbeddingLookup.lookup(w, new int[]{2, 0, 1}, new int[]{1, 3}, 0);
        assertArrayEquals(new int[]{1, 3, 2}, y.shape());
        assertArrayEquals(new float[]{2, 2, 0, 0, 1, 1}, y.toFloatArray());
    }

    @Test
    void embeddingBackwardRecordsTouchedRowsAndSkipsPadding() {
        Tensor w = Tensor.randn(1, 1f, 6, 2).requiresGrad(true);
        EmbeddingLookup.lookup(w, new int[]{4, 0, 4, 2}, new int[]{4}, 0).sum().backward();
        assertArrayEquals(new int[]{2, 4}, w.gradTouchedRows());
        assertArrayEquals(new float[]{0, 0, 0, 0, 1, 1, 0, 0, 2, 2, 0, 0}, w.grad().toFloatArray());
    }

    @Test
    void dropoutIsSeededAndInverted() {
        Tensor x = Tensor.full(1f, 10_000);
        float[] a = DropoutOp.dropout(x, 0.25f, 7).toFloatArray();
        float[] b = DropoutOp.dropout(x, 0.25f, 7).toFloatArray();
        assertArrayEquals(a, b);
        int kept = 0;
        for (float v : a) {
            assertTrue(v == 0f || Math.abs(v - 1f / 0.75f) < 1e-6);
            if (v != 0f) kept++;
        }
        // 7500 expected kept, binomial std ~43: 5 sigma band
        assertTrue(Math.abs(kept - 7500) < 220, "kept " + kept);
    }

    @Test
    void transposeSliceConcat() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, x.transpose(0, 1).toFloatArray());
        assertArrayEquals(new float[]{2, 3, 5, 6}, ShapeOps.slice(x, 1, 1, 3).toFloatArray());
        Tensor c = ShapeOps.concat(0, x, Tensor.of(new float[]{7, 8, 9}, 1, 3));
        assertArrayEquals(new int[]{3, 3}, c.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, c.toFloatArray());
    }

    @Test
    void attentionProductsMatchPerHeadMatrices() {
        // B=1, T=2, H=4, 2 heads of size 2; head 0 = columns 0..1, head 1 = columns 2..3
        Tensor q = Tensor.of(new float[]{1, 0, 1, 1, 0, 1, 2, 0}, 1, 2, 4);
        Tensor k = Tensor.of(new float[]{1, 2, 0, 1, 3, 4, 1, 0}, 1, 2, 4);
        float[] s = AttentionProducts.scores(q, k, 2).toFloatArray();
        // head 0: q0=[1,0] q1=[0,1]; k0=[1,2] k1=[3,4] -> [[1,3],[2,4]]
        // head 1: q0=[1,1] q1=[2,0]; k0=[0,1] k1=[1,0] -> [[1,1],[0,2]]
        assertArrayEquals(new float[]{1, 3, 2, 4, 1, 1, 0, 2}, s);
        Tensor p = Tensor.of(new float[]{1, 0, 0.5f, 0.5f, 0, 1, 1, 0}, 1, 2, 2, 2);
        float[] c = AttentionProducts.context(p, k, 2).toFloatArray();
        // head 0 values v0=[1,2] v1=[3,4]: rows [1,2], [2,3]; head 1 values v0=[0,1] v1=[1,0]: rows [1,0], [0,1]
        assertArrayEquals(new float[]{1, 2, 1, 0, 2, 3, 0, 1}, c);
    }
}
