package io.elektron.examples.docs;

import io.elektron.core.Tensor;
import io.elektron.core.ops.Losses;
import io.elektron.model.metrics.MetricsReport;
import io.elektron.model.metrics.MultiLabelMetrics;
import io.elektron.model.metrics.ThresholdSearch;
import io.elektron.model.metrics.ThresholdTuner;
import io.elektron.model.metrics.TunedThreshold;
import io.elektron.model.metrics.TuningObjective;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snippets of docs/internals/06-multi-label.md. */
class MultiLabelTest {
    @Test
    void oneSigmoidPerLabel() {
        // 2 examples x 3 labels. Example 0 has labels 0 and 2, example 1 only label 2: targets are a 0/1 matrix.
        Tensor logits = Tensor.of(new float[]{2f, -1f, 0.5f, -3f, 0f, 4f}, 2, 3);
        Tensor targets = Tensor.of(new float[]{1, 0, 1, 0, 0, 1}, 2, 3);
        float loss = Losses.bceWithLogits(logits, targets, null).item();
        double expected = 0;
        float[] x = logits.toFloatArray();
        float[] y = targets.toFloatArray();
        for (int i = 0; i < 6; i++) {
            double p = 1 / (1 + Math.exp(-x[i]));
            expected -= (y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p)) / 6; // mean over the 6 cells
        }
        assertEquals(expected, loss, 1e-6);
    }

    @Test
    void thresholdsAndMetrics() {
        List<String> labels = List.of("joy", "anger", "fear");
        float[][] devProbs = {{0.9f, 0.2f, 0.4f}, {0.1f, 0.35f, 0.8f}, {0.6f, 0.3f, 0.1f}};
        boolean[][] devGold = {{true, false, true}, {false, true, true}, {true, false, false}};

        MetricsReport atHalf = MultiLabelMetrics.evaluate(devProbs, devGold, 0.5f, labels);
        assertEquals(0.5556, atHalf.macro().f1(), 1e-4);   // joy 1.0, anger 0.0 (0.35 < 0.5), fear 0.667

        TunedThreshold tuned = ThresholdTuner.tuneGlobal(devProbs, devGold, TuningObjective.MACRO_F1, ThresholdSearch.GRID);
        MetricsReport atTuned = MultiLabelMetrics.evaluate(devProbs, devGold, tuned.threshold(), labels);
        assertTrue(tuned.threshold() > 0.3f && tuned.threshold() <= 0.35f, "tuned " + tuned.threshold());
        assertEquals(1.0, atTuned.macro().f1(), 1e-9);      // on dev: tune on dev, report on test
    }
}
