package io.elektron.model.adversarial;

/** Plain training: one forward, one backward. */
public record NoAdversary() implements AdversarialTraining {
    @Override
    public StepStats step(StepContext ctx) {
        return new StepStats(ctx.forwardBackward(), Double.NaN, 0);
    }

    @Override
    public String name() {
        return "none";
    }
}
