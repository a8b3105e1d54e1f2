package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elektron.model.train.StepCost;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The experiment's statistics from hand-made cells, against values worked out by hand: means, standard deviations,
 * the paired difference's 95% t interval (t 0.975 with 2 degrees of freedom = 4.302652729911275) and its p-value
 * (for 2 degrees of freedom the t CDF is 1/2 + t / (2 sqrt(2 + t^2)), so p follows in closed form).
 */
class ExperimentReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ExperimentCell cell(String method, long seed, double macroPerLabel, double secondsPerStep) {
        Map<ExperimentMetric, Double> scores = new EnumMap<>(ExperimentMetric.class);
        for (ExperimentMetric m : ExperimentMetric.values()) scores.put(m, 0.5);
        scores.put(ExperimentMetric.MACRO_F1_PER_LABEL, macroPerLabel);
        return new ExperimentCell(method, seed, JSON.createObjectNode(), 1, 0.3, false, scores,
                new StepCost(100, 20, secondsPerStep, 1000, method.equals("none") ? 1 : 2), 100);
    }

    private static ExperimentPlan plan() throws Exception {
        return new ExperimentPlan(JSON.createObjectNode().put("model", "m"), List.of("none", "fgm", "random"), List.of(1L, 2L, 3L),
                Map.of("none", "none", "fgm", "fgm (eps 1.0)", "random", "random (eps 1.0)"));
    }

    @Test
    void pairedDifferenceMeanIntervalAndPValueAsWorkedOutByHand() throws Exception {
        List<ExperimentCell> cells = List.of(
                cell("none", 1, 0.40, 1.0), cell("fgm", 1, 0.43, 1.7), cell("random", 1, 0.41, 1.8),
                cell("none", 2, 0.42, 1.0), cell("fgm", 2, 0.44, 1.7),
                cell("none", 3, 0.44, 1.0), cell("fgm", 3, 0.47, 1.7));
        JsonNode summary = new ExperimentReport(plan(), cells).resultsJson().path("summary");

        JsonNode none = summary.path("none").path("macro_f1@per_label");
        assertEquals(3, none.path("seeds").asInt());
        assertEquals(0.42, none.path("mean").asDouble(), 1e-12);
        assertEquals(0.02, none.path("sd").asDouble(), 1e-12); // sqrt((0.02^2 + 0 + 0.02^2) / 2)

        // fgm - none per seed: 0.03, 0.02, 0.03 -> mean 0.026667, sd 0.0057735, se 0.0033333, t = 8.
        JsonNode d = summary.path("fgm").path("macro_f1@per_label").path("paired_difference_to_none");
        assertEquals(3, d.path("seeds").asInt());
        assertEquals(0.08 / 3, d.path("mean").asDouble(), 1e-12);
        double se = Math.sqrt(1.0 / 3e4) / Math.sqrt(3);
        assertEquals(0.08 / 3 - 4.302652729911275 * se, d.path("ci95").get(0).asDouble(), 1e-9);
        assertEquals(0.08 / 3 + 4.302652729911275 * se, d.path("ci95").get(1).asDouble(), 1e-9);
        assertTrue(d.path("ci95").get(0).asDouble() > 0, "this interval excludes 0");
        double t = 8;
        assertEquals(2 * (0.5 - t / (2 * Math.sqrt(2 + t * t))), d.path("p").asDouble(), 1e-9);

        // random finished one seed only: paired over that one seed, no interval.
        JsonNode r = summary.path("random").path("macro_f1@per_label").path("paired_difference_to_none");
        assertEquals(1, r.path("seeds").asInt());
        assertEquals(0.01, r.path("mean").asDouble(), 1e-12);

        // Cost: the mean of the seeds' steady-state seconds per step.
        assertEquals(1.7, summary.path("fgm").path("cost").path("median_seconds_per_step").asDouble(), 1e-12);
        assertEquals(2.0, summary.path("fgm").path("cost").path("passes_per_step").asDouble(), 1e-12);
    }

    @Test
    void anIntervalThatIncludesZeroAndTheMissingCellsAreReported() throws Exception {
        // fgm - none: +0.02, -0.01, +0.02 -> mean 0.01, sd 0.017321, se 0.01, half-width 0.043027: includes 0.
        List<ExperimentCell> cells = List.of(
                cell("none", 1, 0.40, 1.0), cell("fgm", 1, 0.42, 1.7),
                cell("none", 2, 0.42, 1.0), cell("fgm", 2, 0.41, 1.7),
                cell("none", 3, 0.44, 1.0), cell("fgm", 3, 0.46, 1.7));
        ExperimentReport report = new ExperimentReport(plan(), cells);
        JsonNode d = report.resultsJson().path("summary").path("fgm").path("macro_f1@per_label").path("paired_difference_to_none");
        assertEquals(0.01 - 4.302652729911275 * 0.01, d.path("ci95").get(0).asDouble(), 1e-9);
        assertEquals(0.01 + 4.302652729911275 * 0.01, d.path("ci95").get(1).asDouble(), 1e-9);
        assertEquals(List.of("random-seed1", "random-seed2", "random-seed3"),
                JSON.convertValue(report.resultsJson().path("missing_cells"), List.class));
        assertTrue(report.tables().contains("Not finished yet: random-seed1, random-seed2, random-seed3"), report.tables());
    }
}
