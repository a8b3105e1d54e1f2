package io.elektron.core;

import io.elektron.core.autograd.GradMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutogradTest {
    @Test
    void sharedSubexpressionAccumulates() {
        // y = sum(x*x + x) -> dy/dx = 2x + 1
        Tensor x = Tensor.of(new float[]{1, -2, 3}, 3).requiresGrad(true);
        x.mul(x).add(x).sum().backward();
        assertArrayEquals(new float[]{3, -3, 7}, x.grad().toFloatArray());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Tensor x = Tensor.of(new float[]{2}, 1).requiresGrad(true);
        x.mul(3f).sum().backward();
        x.mul(3f).sum().backward();
        assertEquals(6f, x.grad().item());
        x.zeroGrad();
        assertEquals(0f, x.grad().item());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.of(new float[]{1, 2}, 2).requiresGrad(true);
        Tensor y;
        try (GradMode off = GradMode.disabled()) {
            y = x.mul(x);
        }
        assertFalse(y.requiresGrad());
        assertNull(y.node());
        assertTrue(x.mul(x).requiresGrad());
    }

    @Test
    void backwardNeedsScalarOrSeed() {
        Tensor x = Tensor.of(new float[]{1, 2}, 2).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2f).backward());
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void deepChainDoesNotOverflowStack() {
        Tensor x = Tensor.of(new float[]{1}, 1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) y = y.mul(1f);
        y.sum().backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void scopeReleasesIntermediatesButNotParameterGradients() {
        Tensor w = Tensor.zerosUnscoped(Tensor.defaultBackend(), 4).requiresGrad(true);
        Tensor kept;
        try (TensorScope scope = TensorScope.open()) {
            Tensor h = w.add(Tensor.full(1f, 4)).gelu();
            h.sum().backward();
            kept = scope.keep(h.mul(2f));
            assertTrue(scope.ownedCount() > 0);
            assertTrue(h.storage().device() == Device.CPU);
        }
        assertFalse(w.grad().storage().isClosed(), "parameter gradient must outlive the step scope");
        assertFalse(kept.storage().isClosed(), "kept tensor must outlive the scope");
        assertEquals(4, kept.toFloatArray().length);
    }
}
