package io.elektron.core.nn;

import io.elektron.core.Tensor;

import java.util.SplittableRandom;

/**
 * Parameter creation with HuggingFace's initialisation (normal(0, initializer_range) for weights, zeros for biases,
 * ones for LayerNorm scales). Parameters are unscoped: they live as long as their module.
 */
public final class Parameters {
    private Parameters() {
    }

    public static Tensor zeros(int... shape) {
        return Tensor.zerosUnscoped(Tensor.defaultBackend(), shape).requiresGrad(true);
    }

    public static Tensor filled(float value, int... shape) {
        Tensor t = zeros(shape);
        t.backend().fill(t.storage(), 0, t.numel(), value);
        return t;
    }

    /** Normal(0, std) from {@code random}; zeros when random is null (weights about to be loaded). */
    public static Tensor normal(SplittableRandom random, float std, int... shape) {
        Tensor t = zeros(shape);
        if (random != null) {
            float[] values = new float[Math.toIntExact(t.numel())];
            for (int i = 0; i < values.length; i++) {
                double u1 = random.nextDouble();
                double u2 = random.nextDouble();
                values[i] = (float) (std * Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2));
            }
            t.copyFrom(values);
        }
        return t;
    }
}
