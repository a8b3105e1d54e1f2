package io.elektron.examples.docs;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.ops.MatMul;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snippets of docs/internals/01-tensor-and-autograd.md, run. */
class AutogradTourTest {
    @Test
    void oneNeuronByHand() {
        Tensor x = Tensor.of(new float[]{1f, -2f, 0.5f}, 1, 3);                         // input [1, 3]
        Tensor w = Tensor.of(new float[]{0.3f, 0.1f, -0.4f}, 1, 3).requiresGrad(true);  // weight [out 1, in 3]
        Tensor b = Tensor.of(new float[]{0.2f}, 1).requiresGrad(true);                  // bias [1]

        Tensor z = MatMul.linear(x, w, b);  // z = x w^T + b = 0.3 - 0.2 - 0.2 + 0.2 = 0.1
        Tensor y = z.tanh().sum();          // the "loss": a scalar
        assertEquals("sum", y.node().op()); // each op left a Node: sum <- tanh <- linear <- (x, w, b)
        assertEquals("tanh", y.node().inputs()[0].node().op());

        y.backward();                       // reverse topological walk from y, seeded with dy/dy = 1

        float dz = (float) (1 - Math.tanh(0.1) * Math.tanh(0.1)); // dy/dz = 1 - tanh(z)^2
        assertArrayEquals(new float[]{dz * 1f, dz * -2f, dz * 0.5f}, w.grad().toFloatArray(), 1e-6f); // dz/dw = x
        assertEquals(dz, b.grad().item(), 1e-6f);                                                   // dz/db = 1
        assertNull(x.grad());               // x never asked for a gradient
    }

    @Test
    void gradientsAccumulate() {
        Tensor w = Tensor.of(new float[]{2f}, 1).requiresGrad(true);
        w.mul(3f).sum().backward();
        w.mul(3f).sum().backward();         // backward ADDS into grad: 3 + 3
        assertEquals(6f, w.grad().item());
        w.zeroGrad();                       // what an optimizer step ends with, for every parameter
        assertEquals(0f, w.grad().item());
        try (GradMode off = GradMode.disabled()) {
            assertNull(w.mul(3f).node());   // evaluation: no graph recorded, nothing kept alive for backward
        }
    }

    @Test
    void aScopePerStep() {
        Tensor w = Tensor.of(new float[]{1f, 2f}, 2).requiresGrad(true);
        Tensor h;
        try (TensorScope step = TensorScope.open()) {
            h = w.mul(w).gelu();            // activations: owned by the scope
            h.sum().backward();             // w.grad() is a parameter's gradient: not owned by the scope
        }
        assertTrue(h.storage().isClosed()); // native memory released at the end of the step
        assertFalse(w.grad().storage().isClosed());
    }
}
