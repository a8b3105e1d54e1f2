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

    /**
     * HF Trainer's warmup length for a warmup ratio: {@code math.ceil(num_training_steps * warmup_ratio)} (rounded
     * UP: 0.1 of 25 steps is 3 warmup steps, not 2). The ratio is taken as the decimal the user wrote (0.1f as 0.1,
     * not as the float's 0.10000000149), which is the double Python multiplies by: otherwise 0.1 of 30 steps would
     * come out 4 where HF gets 3.
     */
    public static int warmupSteps(int totalSteps, float ratio) {
        return (int) Math.ceil(totalSteps * Double.parseDouble(Float.toString(ratio)));
    }

    /** Multiplier for the learning rate at optimizer step {@code step} (0-based, before the step is taken). */
    public float multiplier(int step) {
        if (step < warmupSteps) return (float) step / Math.max(1, warmupSteps);
        return Math.max(0f, (float) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }
}
