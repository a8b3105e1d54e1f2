package io.elektron.core;

import io.elektron.core.ops.MatMul;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Linear forward and backward at model-sized shapes (where GEMMs are split across threads) against double loops. */
class LinearLargeShapeTest {
    @Test
    void gradientsAtModelShapes() {
        int rows = 96, in = 384, out = 1536;
        Tensor x = Tensor.randn(1, 1f, rows, in).requiresGrad(true);
        Tensor w = Tensor.randn(2, 0.05f, out, in).requiresGrad(true);
        Tensor b = Tensor.randn(3, 0.1f, out).requiresGrad(true);
        Tensor gy = Tensor.randn(4, 1f, rows, out);
        Tensor y = MatMul.linear(x, w, b);
        y.backward(gy);
        float[] xv = x.toFloatArray(), wv = w.toFloatArray(), bv = b.toFloatArray(), g = gy.toFloatArray();
        float[] yv = y.toFloatArray(), gx = x.grad().toFloatArray(), gw = w.grad().toFloatArray(), gb = b.grad().toFloatArray();
        for (int r = 0; r < rows; r += 11) {
            for (int o = 0; o < out; o += 37) {
                double acc = bv[o];
                for (int i = 0; i < in; i++) acc += (double) xv[r * in + i] * wv[o * in + i];
                assertEquals(acc, yv[r * out + o], 1e-3, "y");
            }
            for (int i = 0; i < in; i += 13) {
                double acc = 0;
                for (int o = 0; o < out; o++) acc += (double) g[r * out + o] * wv[o * in + i];
                assertEquals(acc, gx[r * in + i], 1e-3, "dx " + r + "," + i);
            }
        }
        for (int o = 0; o < out; o += 41) {
            for (int i = 0; i < in; i += 17) {
                double acc = 0;
                for (int r = 0; r < rows; r++) acc += (double) g[r * out + o] * xv[r * in + i];
                assertEquals(acc, gw[o * in + i], 1e-3, "dW " + o + "," + i);
            }
            double acc = 0;
            for (int r = 0; r < rows; r++) acc += g[r * out + o];
            assertEquals(acc, gb[o], 1e-3, "db");
        }
    }
}
