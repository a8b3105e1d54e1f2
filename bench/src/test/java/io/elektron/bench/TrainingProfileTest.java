package io.elektron.bench;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.model.ElectraConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingProfileTest {
    private static final ElectraConfig TINY = ElectraConfig.of(120, 16, 32, 2, 4, 64, 512, List.of("a", "b", "c"));

    @Test
    void profiledForwardIsTheModelsForwardBitForBit() {
        try (ElectraSteps steps = new ElectraSteps(TINY, 2, 7)) {
            TrainingProfile profile = new TrainingProfile(steps);
            steps.model().train(true); // dropout on: the masks must be drawn in the same order
            try (TensorScope scope = TensorScope.open()) {
                steps.model().seeds().reset(11);
                float[] expected = steps.model().forward(steps.input()).logits().toFloatArray();
                steps.model().seeds().reset(11);
                float[] actual = profile.forward(steps.input()).toFloatArray();
                assertArrayEquals(expected, actual, "TrainingProfile.forward no longer follows the model's forward");
            }
        }
    }

    @Test
    void profiledStepTrainsAndAccountsForTheStep() {
        try (ElectraSteps steps = new ElectraSteps(TINY, 2, 7)) {
            TrainingProfile profile = new TrainingProfile(steps);
            double first = profile.step();
            double last = first;
            for (int i = 0; i < 20; i++) last = profile.step();
            assertTrue(last < first, "loss " + first + " -> " + last);
            List<ProfileRow> rows = profile.rows();
            double covered = rows.stream().mapToDouble(ProfileRow::totalMs).sum();
            assertTrue(Math.abs(covered - profile.stepMs()) < 1e-6 * Math.max(1, profile.stepMs()), "rows sum to the step");
            assertTrue(rows.stream().anyMatch(r -> r.section().startsWith("attention: softmax") && r.backwardMs() > 0));
            assertTrue(rows.stream().noneMatch(r -> r.section().startsWith("(unlabelled")), rows.toString());
        }
    }

    @Test
    void stepsReleaseTheirTensors() throws InterruptedException {
        try (ElectraSteps steps = new ElectraSteps(TINY, 2, 7)) {
            steps.trainingStep();
            // The SIMD kernels' start-up compilation allocates on the Java heap; let it finish before measuring.
            io.elektron.core.cpu.Simd.awaitWarmup();
            long before = ProcessStats.rssBytes();
            for (int i = 0; i < 30; i++) {
                steps.trainingStep();
                steps.fgmStep();
                steps.inferenceStep();
            }
            // The model is tiny (a few MB of activations per step): a leak of one step per step would show.
            assertTrue(ProcessStats.rssBytes() - before < 64L << 20, "RSS grew by " + (ProcessStats.rssBytes() - before));
            Tensor w = steps.model().electra().embeddings().wordEmbeddings().weight();
            assertTrue(Float.isFinite(w.get(1, 0)));
        }
    }
}
