package io.elektron.core.nn;

import io.elektron.core.Tensor;
import io.elektron.core.autograd.GradMode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleHooksTest {
    /** y = tanh(x W^T + b), reporting its output as the ELECTRA modules do. */
    static final class Block extends Module {
        final Linear linear = registerModule("linear", new Linear(3, 2, true, new SplittableRandom(7), 0.5f));

        Tensor forward(Tensor x) {
            return emit(linear.forward(x).tanh());
        }
    }

    private static Tensor input() {
        return Tensor.of(new float[]{0.5f, -1f, 2f, 1f, 0f, -0.5f}, 2, 3);
    }

    @Test
    void withoutHooksEmitReturnsTheOutputItself() {
        Block b = new Block();
        assertFalse(b.hasHooks());
        Tensor x = input();
        Tensor expected = b.linear.forward(x).tanh();
        Tensor y = b.forward(x);
        assertTrue(y.node() != null && y.node().op().equals("tanh"), "no extra node without hooks: " + y);
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray());
    }

    @Test
    void forwardHookSeesTheOutputAndIsRemovedByClose() {
        Block b = new Block();
        List<float[]> seen = new ArrayList<>();
        Tensor y;
        try (HookHandle h = b.registerForwardHook((m, out) -> {
            assertSame(b, m);
            seen.add(out.toFloatArray());
        })) {
            assertTrue(b.hasHooks());
            y = b.forward(input());
            assertTrue(h.isActive());
        }
        assertFalse(b.hasHooks(), "closing the last handle drops the hook list");
        assertEquals(1, seen.size());
        assertArrayEquals(y.toFloatArray(), seen.get(0));
        b.forward(input());
        assertEquals(1, seen.size(), "a removed hook is not called");
    }

    @Test
    void backwardHookSeesTheGradientOfTheOutput() {
        Block b = new Block();
        float[] weights = {1f, -2f, 0.5f, 3f};
        List<float[]> grads = new ArrayList<>();
        try (HookHandle h = b.registerBackwardHook((m, g) -> grads.add(g.toFloatArray()))) {
            Tensor y = b.forward(input());
            y.mul(Tensor.of(weights, 2, 2)).sum().backward();
        }
        assertEquals(1, grads.size());
        assertArrayEquals(weights, grads.get(0), 0f, "d sum(w * y) / dy = w");
    }

    @Test
    void backwardHookLeavesParameterGradientsUnchanged() {
        Block plain = new Block();
        Block hooked = new Block();
        plain.forward(input()).sum().backward();
        try (HookHandle h = hooked.registerBackwardHook((m, g) -> { })) {
            hooked.forward(input()).sum().backward();
        }
        assertArrayEquals(plain.linear.weight().grad().toFloatArray(), hooked.linear.weight().grad().toFloatArray(), 0f);
        assertArrayEquals(plain.linear.bias().grad().toFloatArray(), hooked.linear.bias().grad().toFloatArray(), 0f);
    }

    @Test
    void noGraphMeansNoPassThroughNode() {
        Block b = new Block();
        try (HookHandle h = b.registerBackwardHook((m, g) -> { }); GradMode off = GradMode.disabled()) {
            Tensor y = b.forward(input());
            assertFalse(y.requiresGrad());
        }
    }

    @Test
    void handlesAreIndependentAndIdempotent() {
        Block b = new Block();
        int[] calls = new int[2];
        HookHandle first = b.registerForwardHook((m, out) -> calls[0]++);
        HookHandle second = b.registerForwardHook((m, out) -> calls[1]++);
        b.forward(input());
        first.close();
        first.close();
        assertTrue(b.hasHooks());
        b.forward(input());
        second.close();
        assertFalse(b.hasHooks());
        assertArrayEquals(new int[]{1, 2}, calls);
    }

    @Test
    void aHookMayRemoveItselfWhileRunning() {
        Block b = new Block();
        HookHandle[] self = new HookHandle[1];
        int[] calls = new int[1];
        self[0] = b.registerForwardHook((m, out) -> {
            calls[0]++;
            self[0].close();
        });
        b.forward(input());
        b.forward(input());
        assertEquals(1, calls[0]);
        assertFalse(b.hasHooks());
    }

    @Test
    void nullHookIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Block().registerForwardHook(null));
    }
}
