package io.elektron.model.train;

import java.util.Arrays;
import java.util.List;

/**
 * What a run's optimizer steps cost once warmed up. The first steps of a JVM pay for JIT compilation and for the
 * storage pool filling, and a resumed run pays again after its restart; a mean over all steps (or one epoch's wall
 * clock) mixes that in, so two identical experiments can report a method at x0.7 and x2.9 of another. The median
 * over the steps after the warm-up does not move with those outliers.
 *
 * @param measuredSteps        steps the figures are over
 * @param warmupSteps          first steps left out
 * @param medianSecondsPerStep median wall-clock seconds of a measured step
 * @param tokensPerSecond      real tokens of the measured steps over their total seconds (padding not counted)
 * @param passesPerStep        forward + backward passes per optimizer step (mean over the measured steps)
 */
public record StepCost(int measuredSteps, int warmupSteps, double medianSecondsPerStep, double tokensPerSecond,
                       double passesPerStep) {

    /** Steps left out at most: plenty for the JIT on any model here, and cheap to lose on a run of thousands. */
    static final int MAX_WARMUP_STEPS = 50;

    /** The first fifth of the steps, at most {@link #MAX_WARMUP_STEPS}, is warm-up. */
    public static StepCost of(List<StepTiming> timings) {
        if (timings.isEmpty()) throw new IllegalArgumentException("no step timings: the run took no optimizer step");
        int warmup = Math.min(MAX_WARMUP_STEPS, timings.size() / 5);
        List<StepTiming> measured = timings.subList(warmup, timings.size());
        double[] seconds = measured.stream().mapToDouble(StepTiming::seconds).sorted().toArray();
        int n = seconds.length;
        double median = n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
        double totalSeconds = Arrays.stream(seconds).sum();
        long tokens = measured.stream().mapToLong(StepTiming::realTokens).sum();
        double passes = measured.stream().mapToInt(StepTiming::passes).average().orElseThrow();
        return new StepCost(n, warmup, median, tokens / Math.max(1e-12, totalSeconds), passes);
    }
}
