package io.elektron.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The labelled result of a prediction, and the thresholds a checkpoint saved, as a library user reads them. */
class PredictionTest {
    private static final List<String> LABELS = List.of("joy", "anger", "curiosity", "sadness");

    @Test
    void labelsAreRankedByProbabilityAndChosenByTheirOwnThreshold() {
        Prediction p = Prediction.of(LABELS, new float[]{0.30f, 0.05f, 0.90f, 0.30f}, new float[]{0.25f, 0.5f, 0.5f, 0.35f});
        assertEquals(List.of(new Prediction.LabelProbability("curiosity", 0.90f), new Prediction.LabelProbability("joy", 0.30f),
                new Prediction.LabelProbability("sadness", 0.30f), new Prediction.LabelProbability("anger", 0.05f)), p.ranked(),
                "most probable first; joy and sadness tie and keep the model's order");
        assertEquals(List.of("curiosity", "joy"), p.chosen(), "sadness (0.30) is under its own threshold 0.35");
        assertEquals(0.05f, p.probability("anger"));
        assertThrows(IllegalArgumentException.class, () -> p.probability("love"));
    }

    @Test
    void aProbabilityEqualToItsThresholdIsChosenAndNoneMayBe() {
        assertEquals(List.of("anger"), Prediction.of(LABELS, new float[]{0.1f, 0.5f, 0.2f, 0.3f}, new float[]{0.5f, 0.5f, 0.5f, 0.5f}).chosen());
        assertEquals(List.of(), Prediction.of(LABELS, new float[]{0.1f, 0.4f, 0.2f, 0.3f}, new float[]{0.5f, 0.5f, 0.5f, 0.5f}).chosen());
        assertThrows(IllegalArgumentException.class, () -> Prediction.of(LABELS, new float[]{0.1f}, new float[]{0.5f, 0.5f, 0.5f, 0.5f}));
    }

    @Test
    void savedThresholdsAreReadFromTheCheckpoint(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("thresholds.json"), """
                {"global": 0.35, "objective": "dev macro F1", "labels": ["joy", "anger", "curiosity", "sadness"],
                 "per_label": [0.2, 0.6, 0.45, 0.3]}""");
        Thresholds t = Thresholds.read(folder, LABELS);
        assertTrue(t.saved());
        assertArrayEquals(new float[]{0.35f, 0.35f, 0.35f, 0.35f}, t.globalForEveryLabel());
        assertArrayEquals(new float[]{0.2f, 0.6f, 0.45f, 0.3f}, t.perLabel());
    }

    @Test
    void aModelWithoutThresholdsGetsOneHalfAndAnotherModelsFileIsRefused(@TempDir Path folder) throws IOException {
        Thresholds untuned = Thresholds.read(folder, LABELS);
        assertFalse(untuned.saved());
        assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f, 0.5f}, untuned.globalForEveryLabel());
        assertNull(untuned.perLabel());

        Files.writeString(folder.resolve("thresholds.json"), "{\"global\": 0.4, \"labels\": [\"pos\", \"neg\"]}");
        IOException e = assertThrows(IOException.class, () -> Thresholds.read(folder, LABELS));
        assertTrue(e.getMessage().contains("another model"), e.getMessage());
    }
}
