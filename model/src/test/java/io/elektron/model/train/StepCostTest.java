package io.elektron.model.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StepCostTest {
    @Test
    void theFirstFifthIsWarmupAndTheMedianIgnoresOutliers() {
        // 10 steps: the first 2 are warm-up (slow); of the 8 measured, one is a 9 s outlier (a checkpoint save).
        double[] seconds = {5.0, 3.0, 1.0, 1.2, 0.8, 1.1, 9.0, 0.9, 1.0, 1.3};
        List<StepTiming> t = new ArrayList<>();
        for (int i = 0; i < seconds.length; i++) t.add(new StepTiming(i + 1, seconds[i], 100, 2));
        StepCost c = StepCost.of(t);
        assertEquals(2, c.warmupSteps());
        assertEquals(8, c.measuredSteps());
        // sorted measured: 0.8 0.9 1.0 1.0 1.1 1.2 1.3 9.0 -> median (1.0 + 1.1) / 2
        assertEquals(1.05, c.medianSecondsPerStep(), 1e-12);
        // the steps' rates, 100 tokens each: 100/9.0 ... 100/0.8; the middle two are 100/1.1 and 100/1.0. (800 tokens
        // over the 16.3 s summed would be 49, half the rate of every step but the outlier.)
        assertEquals((100 / 1.1 + 100 / 1.0) / 2, c.tokensPerSecond(), 1e-9);
        assertEquals(2.0, c.passesPerStep(), 0);
    }

    @Test
    void warmupIsCappedAtFiftySteps() {
        List<StepTiming> t = new ArrayList<>();
        for (int i = 0; i < 1000; i++) t.add(new StepTiming(i + 1, i < 50 ? 10 : 1, 10, 1));
        StepCost c = StepCost.of(t);
        assertEquals(50, c.warmupSteps());
        assertEquals(1.0, c.medianSecondsPerStep(), 0);
        assertEquals(10.0, c.tokensPerSecond(), 1e-9);
    }

    @Test
    void aRunWithoutStepsHasNoCost() {
        assertThrows(IllegalArgumentException.class, () -> StepCost.of(List.of()));
    }
}
