package io.elektron.core;

import io.elektron.core.autograd.GradMode;
import io.elektron.core.ops.Activations;
import io.elektron.core.ops.Softmax;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The inference-only in-place ops give exactly the out-of-place results, and refuse to run while a graph records. */
class InPlaceOpsTest {
    @Test
    void inPlaceGeluAndSoftmaxEqualTheOutOfPlaceOps() {
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled()) {
            Tensor x = Tensor.randn(1, 2f, 3, 2, 5, 37); // 37 columns: vector body and scalar tail
            Tensor mask = Tensor.randn(2, 1f, 3, 37);
            float[] expectedGelu = Activations.gelu(x).toFloatArray();
            float[] expectedSoftmax = Softmax.softmax(x, mask, 0.125f).toFloatArray();

            Tensor g = Tensor.of(x.toFloatArray(), x.shape());
            assertSame(g, Activations.geluInPlace(g));
            assertArrayEquals(expectedGelu, g.toFloatArray(), 0f);

            Tensor s = Tensor.of(x.toFloatArray(), x.shape());
            assertSame(s, Softmax.softmaxInPlace(s, mask, 0.125f));
            assertArrayEquals(expectedSoftmax, s.toFloatArray(), 0f);
        }
    }

    @Test
    void inPlaceOpsRefuseToRunWhileGradientsAreRecorded() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.randn(3, 1f, 4, 8).requiresGrad(true);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Activations.geluInPlace(x));
            assertTrue(e.getMessage().contains("GradMode.disabled()"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> Softmax.softmaxInPlace(x, null, 1f));
        }
    }
}
