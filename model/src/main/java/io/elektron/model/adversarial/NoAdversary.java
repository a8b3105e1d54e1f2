package io.elektron.model.adversarial;

import io.elektron.core.Tensor;

/** Plain training: one forward, one backward. */
public record NoAdversary() implements AdversarialTraining {
    @Override
    public StepStats step(StepContext ctx) {
        Tensor l = ctx.loss().forward();
        double clean = l.item();
        l.mul(ctx.lossScale()).backward();
        return new StepStats(clean, Double.NaN, 0);
    }

    @Override
    public String name() {
        return "none";
    }
}
