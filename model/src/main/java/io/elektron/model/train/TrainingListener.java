package io.elektron.model.train;

import io.elektron.model.adversarial.StepStats;

/** Progress callbacks (the CLI draws a progress bar from them). All methods have no-op defaults. */
public interface TrainingListener {
    /** After each optimizer step. */
    default void onStep(StepEvent event) {
    }

    /** After each epoch's evaluation. */
    default void onEpoch(EpochRecord record) {
    }

    /** Plain messages (checkpoint saved, early stop ...). */
    default void onMessage(String message) {
    }

    /** When an epoch starts: how many optimizer steps it will take. */
    default void onEpochStart(int epoch, int steps) {
    }

    /**
     * When an epoch starts: how many optimizer steps it will take, {@code stepsDone} of them taken before a restart
     * (0 unless the run resumed mid-epoch). A time estimate should count only the steps after {@code stepsDone}: the
     * others did not happen in this process. By default the same as {@link #onEpochStart(int, int)}.
     */
    default void onEpochStart(int epoch, int steps, int stepsDone) {
        onEpochStart(epoch, steps);
    }

    /**
     * @param tokensPerSecond real (non-padding) tokens per second over the epoch so far, forward + backward
     * @param stats           the last micro-step's clean/adversarial losses and perturbation norm
     */
    record StepEvent(int epoch, int stepInEpoch, int stepsInEpoch, long globalStep, long totalSteps, double loss,
                     float learningRate, double gradNorm, double tokensPerSecond, StepStats stats) {
    }
}
