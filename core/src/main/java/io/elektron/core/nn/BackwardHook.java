package io.elektron.core.nn;

import io.elektron.core.Tensor;

/**
 * Called during the backward pass with the gradient of the loss with respect to a module's output (see
 * {@link Module#registerBackwardHook}): the complete gradient, after every consumer of the output has contributed, just
 * before it flows on into the module. The gradient tensor dies with the step's scope and must not be written to.
 */
@FunctionalInterface
public interface BackwardHook {
    void onBackward(Module module, Tensor gradOutput);
}
