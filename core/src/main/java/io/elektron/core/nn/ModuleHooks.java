package io.elektron.core.nn;

import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * The hooks of one module. A module holds an instance only while some hook is registered, so a forward pass with
 * inspection off costs one null check per {@link Module#emit} call.
 */
final class ModuleHooks {
    private final List<ForwardHook> forward = new ArrayList<>();
    private final List<BackwardHook> backward = new ArrayList<>();

    void add(ForwardHook hook) {
        forward.add(hook);
    }

    void add(BackwardHook hook) {
        backward.add(hook);
    }

    /** Removes one registration of the hook (by identity); true when no hook is left. */
    boolean remove(Object hook) {
        if (!removeFirst(forward, hook)) removeFirst(backward, hook);
        return forward.isEmpty() && backward.isEmpty();
    }

    private static boolean removeFirst(List<?> hooks, Object hook) {
        for (int i = 0; i < hooks.size(); i++) {
            if (hooks.get(i) == hook) {
                hooks.remove(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the forward hooks on {@code output}. With backward hooks and a graph being recorded, returns a pass-through
     * view of the output whose backward hands the incoming gradient to the hooks and then on to the output unchanged
     * (torch's full backward hooks work the same way); otherwise returns the output itself.
     */
    Tensor fire(Module module, Tensor output) {
        // Copies: a hook may close its own handle while running.
        for (ForwardHook h : List.copyOf(forward)) h.onForward(module, output);
        if (backward.isEmpty() || !Autograd.needsGrad(output)) return output;
        List<BackwardHook> hooks = List.copyOf(backward);
        Tensor passThrough = output.viewAs(output.shape());
        return Autograd.record(passThrough, "hook", new Tensor[]{output}, gy -> {
            for (BackwardHook h : hooks) h.onBackward(module, gy);
            output.accumulateGrad(gy);
        });
    }
}
