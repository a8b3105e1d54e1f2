package io.elektron.cli;

import io.elektron.model.train.StepCost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A finished cell read back from its run folder. */
class ExperimentCellTest {
    private static ExperimentCell cellWithCost(StepCost cost) {
        Map<ExperimentMetric, Double> scores = new EnumMap<>(ExperimentMetric.class);
        for (ExperimentMetric m : ExperimentMetric.values()) scores.put(m, 0.5);
        return new ExperimentCell("fgm", 42, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(), 2,
                0.3, false, scores, cost, 1234.5);
    }

    @Test
    void costIsDerivedAgainFromTheStepTimesTheCellRecorded(@TempDir Path run) throws Exception {
        // What an older build stored: tokens over the summed seconds, dragged down by one step that waited 9 s.
        cellWithCost(new StepCost(8, 2, 1.05, 800 / 16.3, 2)).write(run);
        Files.writeString(run.resolve("step-times.csv"), """
                step,seconds,real_tokens,passes
                1,5.0,100,2
                2,3.0,100,2
                3,1.0,100,2
                4,1.2,100,2
                5,0.8,100,2
                6,1.1,100,2
                7,9.0,100,2
                8,0.9,100,2
                9,1.0,100,2
                10,1.3,100,2
                """);
        ExperimentCell read = ExperimentCell.read(run);
        assertEquals(8, read.cost().measuredSteps());
        assertEquals(1.05, read.cost().medianSecondsPerStep(), 1e-12);
        assertEquals((100 / 1.1 + 100 / 1.0) / 2, read.cost().tokensPerSecond(), 1e-9);
        assertEquals(1234.5, read.trainSeconds(), 0);
    }

    @Test
    void withoutStepTimesTheStoredCostStands(@TempDir Path run) throws Exception {
        cellWithCost(new StepCost(8, 2, 1.05, 49.0, 2)).write(run);
        ExperimentCell read = ExperimentCell.read(run);
        assertEquals(49.0, read.cost().tokensPerSecond(), 0);
        assertEquals(1.05, read.cost().medianSecondsPerStep(), 0);
    }
}
