package io.elektron.model.adversarial;

import io.elektron.core.Tensor;

/** One forward pass of the current micro-batch through the model, returning the scalar training loss. */
@FunctionalInterface
public interface LossFunction {
    Tensor forward();
}
