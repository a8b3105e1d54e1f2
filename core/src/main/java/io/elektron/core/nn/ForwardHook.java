package io.elektron.core.nn;

import io.elektron.core.Tensor;

/**
 * Called with a module's output at the end of its forward pass (see {@link Module#registerForwardHook}).
 *
 * <p>The output is a tensor of the current step: it is released when the enclosing
 * {@link io.elektron.core.TensorScope} closes, so copy what must be kept ({@code toFloatArray()}) or reduce it to
 * numbers inside the hook. A hook must not write to the tensor.
 */
@FunctionalInterface
public interface ForwardHook {
    void onForward(Module module, Tensor output);
}
