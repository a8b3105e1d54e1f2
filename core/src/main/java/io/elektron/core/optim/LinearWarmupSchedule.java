package io.elektron.core.optim;

/**
 * HF's get_linear_schedule_with_warmup: the multiplier rises linearly from 0 to 1 over the warmup steps, then falls
 * linearly to 0 at the last step.
 */
public record LinearWarmupSchedule(int warmupSteps, int totalSteps) {
    public LinearWarmupSchedule {
        if (warmupSteps < 0 || totalSteps < 0) {
            throw new IllegalArgumentException("schedule steps must be >= 0, got warmup " + warmupSteps + ", total " + totalSteps);
        }
    }

    /** Multiplier for the learning rate at optimizer step {@code step} (0-based, before the step is taken). */
    public float multiplier(int step) {
        if (step < warmupSteps) return (float) step / Math.max(1, warmupSteps);
        return Math.max(0f, (float) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
