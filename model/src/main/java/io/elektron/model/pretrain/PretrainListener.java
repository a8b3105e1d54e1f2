package io.elektron.model.pretrain;

/** Progress callbacks of {@link ElectraPretrainer} (the CLI draws a progress bar from them). No-op defaults. */
public interface PretrainListener {
    /** Before the first step: the step the run starts after (0, or the resumed step) and the last step. */
    default void onStart(long firstStep, long totalSteps) {
    }

    default void onStep(PretrainStepRecord record) {
    }

    /** After each held-out evaluation. */
    default void onEvaluation(long step, RtdEvaluation evaluation) {
    }

    /** Checkpoint written, resumed, warnings. */
    default void onMessage(String message) {
    }
}
