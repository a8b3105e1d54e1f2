package io.elektron.model.train;

import java.util.List;

/**
 * What a run's optimizer steps cost once warmed up. The first steps of a JVM pay for JIT compilation and for the
 * storage pool filling, and a resumed run pays again after its restart; a mean over all steps (or one epoch's wall
 * clock) mixes that in, so two identical experiments can report a method at x0.7 and x2.9 of another. The median
 * over the steps after the warm-up does not move with those outliers, and neither does the throughput: it is the
 * median of the steps' own rates, not the tokens over the summed seconds (one step that waited 20 minutes for a
 * suspended process, or shared the cores with a build, would otherwise halve it).
 *
 * @param measuredSteps        steps the figures are over
 * @param warmupSteps          first steps left out
 * @param medianSecondsPerStep median wall-clock seconds of a measured step
 * @param tokensPerSecond      median over the measured steps of the step's real tokens over its seconds (padding
 *                             not counted)
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
        double[] rates = measured.stream().mapToDouble(t -> t.realTokens() / Math.max(1e-12, t.seconds()))
                .sorted().toArray();
        double passes = measured.stream().mapToInt(StepTiming::passes).average().orElseThrow();
        return new StepCost(n, warmup, median(seconds), median(rates), passes);
    }

    /** The median of sorted values (the mean of the middle two for an even count). */
    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
