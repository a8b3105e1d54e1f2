package io.elektron.model.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Against values computed by hand. With 2 degrees of freedom the t distribution has a closed form,
 * F(t) = 1/2 + t / (2 sqrt(2 + t^2)), and its 97.5% quantile is 4.302653 (tables); with 4, 2.776445.
 */
class PairedComparisonTest {
    @Test
    void threeSeedsWhoseIntervalIncludesZero() {
        // differences 0.01, 0.02, 0.03: mean 0.02, sd 0.01, se 0.01 / sqrt(3) = 0.0057735
        PairedComparison c = PairedComparison.of(new double[]{0.51, 0.52, 0.53}, new double[]{0.50, 0.50, 0.50});
        assertEquals(3, c.n());
        assertEquals(0.02, c.meanDifference(), 1e-12);
        assertEquals(0.01, c.sdDifference(), 1e-12);
        double se = 0.01 / Math.sqrt(3);
        assertEquals(0.02 - 4.302653 * se, c.ciLow(), 1e-6);
        assertEquals(0.02 + 4.302653 * se, c.ciHigh(), 1e-6);
        double t = 0.02 / se; // 3.4641
        double p = 2 * (1 - (0.5 + t / (2 * Math.sqrt(2 + t * t)))); // 0.07418
        assertEquals(p, c.pValue(), 1e-9);
        assertEquals(0.0742, c.pValue(), 1e-4);
        assertFalse(c.excludesZero());
    }

    @Test
    void threeSeedsWhoseIntervalExcludesZero() {
        // differences 0.020, 0.021, 0.019: mean 0.02, sd 0.001
        PairedComparison c = PairedComparison.of(new double[]{0.620, 0.621, 0.619}, new double[]{0.6, 0.6, 0.6});
        double se = 0.001 / Math.sqrt(3);
        assertEquals(0.02 - 4.302653 * se, c.ciLow(), 1e-6);
        assertEquals(0.02 + 4.302653 * se, c.ciHigh(), 1e-6);
        double t = 0.02 / se; // 34.641
        assertEquals(2 * (1 - (0.5 + t / (2 * Math.sqrt(2 + t * t)))), c.pValue(), 1e-9); // 0.00083
        assertTrue(c.excludesZero());
    }

    @Test
    void fiveSeedsUseFourDegreesOfFreedomAndNegativeDifferences() {
        // differences -0.02, -0.01, 0, -0.03, -0.04: mean -0.02, sd sqrt(0.001 / 4) = 0.0158114
        PairedComparison c = PairedComparison.of(new double[]{0.48, 0.49, 0.50, 0.47, 0.46},
                new double[]{0.5, 0.5, 0.5, 0.5, 0.5});
        double se = Math.sqrt(0.001 / 4) / Math.sqrt(5);
        assertEquals(-0.02, c.meanDifference(), 1e-12);
        assertEquals(-0.02 - 2.776445 * se, c.ciLow(), 1e-6);
        assertEquals(-0.02 + 2.776445 * se, c.ciHigh(), 1e-6);
        assertTrue(c.pValue() > 0.01 && c.pValue() < 0.10, "t = -2.83 with 4 df: p about 0.047, got " + c.pValue());
        assertEquals(0.0474, c.pValue(), 5e-4);
    }

    @Test
    void edgeCases() {
        PairedComparison one = PairedComparison.of(new double[]{0.6}, new double[]{0.5});
        assertEquals(0.1, one.meanDifference(), 1e-12);
        assertTrue(Double.isNaN(one.pValue()) && Double.isNaN(one.ciLow()));
        assertEquals("+0.1000 (1 seed)", one.describe());
        PairedComparison same = PairedComparison.of(new double[]{0.5, 0.5}, new double[]{0.5, 0.5});
        assertEquals(1.0, same.pValue());
        PairedComparison constant = PairedComparison.of(new double[]{0.6, 0.7}, new double[]{0.5, 0.6});
        assertEquals(0.0, constant.pValue());
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(new double[]{1}, new double[]{1, 2}));
    }
}
