package io.elektron.model.metrics;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.Arrays;

/**
 * A method against a baseline over the same seeds (same seed = same initialisation and batch order, so the runs pair
 * up): the mean of the per-seed differences, a 95% confidence interval for it from the t distribution with n - 1
 * degrees of freedom, and the two-sided paired t-test p-value. With n = 3 the interval is the mean +- 4.30 standard
 * errors (+- 2.48 standard deviations): "+- sd does not cover 0" is not evidence; this interval is.
 *
 * @param n              number of paired seeds
 * @param meanDifference mean of method - baseline
 * @param sdDifference   sample standard deviation (n - 1) of the differences; NaN for one seed
 * @param ciLow          lower end of the 95% interval (NaN for one seed)
 * @param ciHigh         upper end
 * @param pValue         two-sided paired t-test p-value (NaN for one seed)
 */
public record PairedComparison(int n, double meanDifference, double sdDifference, double ciLow, double ciHigh,
                               double pValue) {

    /** 95% two-sided. */
    static final double CONFIDENCE = 0.95;

    /** {@code method[i]} and {@code baseline[i]} are the same seed's scores. */
    public static PairedComparison of(double[] method, double[] baseline) {
        if (method.length != baseline.length || method.length == 0) {
            throw new IllegalArgumentException("paired comparison needs the same seeds on both sides, got "
                    + method.length + " and " + baseline.length + " scores");
        }
        int n = method.length;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = method[i] - baseline[i];
        double mean = Arrays.stream(d).average().orElseThrow();
        if (n < 2) return new PairedComparison(1, mean, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double ss = 0;
        for (double x : d) ss += (x - mean) * (x - mean);
        double sd = Math.sqrt(ss / (n - 1));
        double se = sd / Math.sqrt(n);
        TDistribution t = new TDistribution(null, n - 1);
        double half = t.inverseCumulativeProbability(0.5 + CONFIDENCE / 2) * se;
        double p;
        if (se == 0) {
            p = mean == 0 ? 1 : 0; // every seed moved by exactly the same amount
        } else {
            p = 2 * t.cumulativeProbability(-Math.abs(mean / se));
        }
        return new PairedComparison(n, mean, sd, mean - half, mean + half, p);
    }

    /** True when the interval lies entirely above or below zero. */
    public boolean excludesZero() {
        return ciLow > 0 || ciHigh < 0;
    }

    /** "+0.0123 [-0.0040, +0.0286] p 0.074", or just the difference for one seed. */
    public String describe() {
        if (n < 2) return String.format("%+.4f (1 seed)", meanDifference);
        return String.format("%+.4f [%+.4f, %+.4f] p %.3f", meanDifference, ciLow, ciHigh, pValue);
    }
}
