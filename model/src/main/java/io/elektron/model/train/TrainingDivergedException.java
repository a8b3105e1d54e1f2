package io.elektron.model.train;

/**
 * The loss, the gradient norm or a weight became NaN or infinite. Training stopped before the optimizer step (or the
 * checkpoint write) that would have spread it, so every checkpoint on disk is still finite; the message names the last
 * good one.
 */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
