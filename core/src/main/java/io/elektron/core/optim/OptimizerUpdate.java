package io.elektron.core.optim;

import io.elektron.core.Tensor;

import java.util.List;

/**
 * The update that closes every optimizer step, in fine-tuning and in pre-training alike, once the step's micro-batches
 * have accumulated their gradients: clip to the global norm, refuse a non-finite gradient, set the scheduled learning
 * rate, take the AdamW step, zero the gradients.
 *
 * <p>Why refuse: a finite loss can still back-propagate Inf or NaN (an overflowing activation's derivative); clipping
 * turns Inf into NaN (Inf x 0), and one AdamW step would then write NaN into every weight it touches, which the next
 * checkpoint would save. A refused step leaves the weights as they were and the gradients zeroed.
 */
public final class OptimizerUpdate {
    private final List<Tensor> parameters;
    private final AdamW optimizer;
    private final LinearWarmupSchedule schedule;
    private final float peakLearningRate;
    private final double maxGradNorm;

    /** What a step did: the gradient norm before clipping and the learning rate it stepped with. */
    public record Applied(double gradNorm, float learningRate) {
    }

    /** The gradient norm was NaN or Inf: no step was taken, the gradients are zeroed. */
    public static final class NonFiniteGradientException extends RuntimeException {
        private final double gradNorm;

        NonFiniteGradientException(double gradNorm) {
            super("the gradient norm became " + gradNorm);
            this.gradNorm = gradNorm;
        }

        public double gradNorm() {
            return gradNorm;
        }
    }

    public OptimizerUpdate(List<Tensor> parameters, AdamW optimizer, LinearWarmupSchedule schedule, float peakLearningRate,
                           double maxGradNorm) {
        this.parameters = List.copyOf(parameters);
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.peakLearningRate = peakLearningRate;
        this.maxGradNorm = maxGradNorm;
    }

    /**
     * Updates the weights for step {@code stepIndex} (0-based: the schedule's position).
     *
     * @throws NonFiniteGradientException when the gradient norm is not finite (nothing was updated)
     */
    public Applied apply(long stepIndex) {
        double gradNorm = GradClipping.clipGlobalNorm(parameters, maxGradNorm);
        if (!Double.isFinite(gradNorm)) {
            optimizer.zeroGrad();
            throw new NonFiniteGradientException(gradNorm);
        }
        float lr = peakLearningRate * schedule.multiplier((int) stepIndex);
        optimizer.setLearningRate(lr);
        optimizer.step();
        optimizer.zeroGrad();
        return new Applied(gradNorm, lr);
    }

    /** Drops whatever gradients have accumulated (a step abandoned because its loss was not finite). */
    public void discardGradients() {
        optimizer.zeroGrad();
    }
}
