package io.elektron.model.hf;

import io.elektron.core.Tensor;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.Golden;
import io.elektron.weights.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfFolderWriterTest {
    @Test
    void saveThenLoadIsBitExactAndHfCompatible(@TempDir Path dir) throws Exception {
        Golden g = Golden.fixture("tiny-proj");
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(g.folder(), null, 0).model();
        Path out = dir.resolve("saved");
        HfFolderWriter.save(out, model, model.config(), "ElectraForSequenceClassification", g.folder(), Map.of());
        ElectraForSequenceClassification back = HfModels.sequenceClassifier(out, null, 0).model();
        for (var e : model.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), back.namedParameters().get(e.getKey()).toFloatArray(), e.getKey());
        }
        // What transformers' from_pretrained requires (PITFALLS.md): pt metadata, electra.-prefixed encoder keys.
        try (Checkpoint c = Checkpoint.open(out.resolve("model.safetensors"))) {
            assertEquals("pt", c.metadata().get("format"));
            assertTrue(c.names().stream().filter(n -> !n.startsWith("classifier.")).allMatch(n -> n.startsWith("electra.")));
        }
        assertEquals(Files.readString(g.folder().resolve("vocab.txt")), Files.readString(out.resolve("vocab.txt")));
        String config = Files.readString(out.resolve("config.json"));
        assertTrue(config.contains("\"problem_type\" : \"multi_label_classification\""), config);
        assertTrue(config.contains("\"id2label\""));
    }

    @Test
    void savingAgainReplacesAPlainFolderAndLeavesNothingBesideIt(@TempDir Path dir) throws Exception {
        Golden g = Golden.fixture("tiny");
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(g.folder(), null, 0).model();
        Path out = dir.resolve("best");
        HfFolderWriter.save(out, model, model.config(), "ElectraForSequenceClassification", null, Map.of());
        Tensor bias = model.namedParameters().get("classifier.out_proj.bias");
        bias.copyFrom(new float[]{1, 2, 3, 4, 5});
        HfFolderWriter.save(out, model, model.config(), "ElectraForSequenceClassification", null, Map.of("note.txt", new byte[]{'x'}));
        assertTrue(Files.isDirectory(out, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(out),
                "a real folder, which every copy tool copies as it is");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("best"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        ElectraForSequenceClassification back = HfModels.sequenceClassifier(out, null, 0).model();
        assertArrayEquals(new float[]{1, 2, 3, 4, 5}, back.namedParameters().get("classifier.out_proj.bias").toFloatArray());
        assertTrue(Files.exists(out.resolve("note.txt")));
    }

    @Test
    void whatAKilledSaveLeavesIsNeverTheCheckpointAndTheNextSaveRemovesIt(@TempDir Path dir) throws Exception {
        Golden g = Golden.fixture("tiny");
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(g.folder(), null, 0).model();
        Path out = dir.resolve("last");
        HfFolderWriter.save(out, model, model.config(), "ElectraForSequenceClassification", null, Map.of());
        float[] saved = model.namedParameters().get("classifier.out_proj.bias").toFloatArray();
        Path complete = out;

        // What a process killed while writing a later save leaves beside the checkpoint (the kills between the
        // renames that publish it are FolderSwapTest's):
        Path staging = Files.createDirectory(dir.resolve("last.tmp-123"));       // while writing the new folder
        byte[] weights = Files.readAllBytes(complete.resolve("model.safetensors"));
        Files.write(staging.resolve("model.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 3));
        Path discarded = Files.createDirectory(dir.resolve("last.tmp-discarded-3")); // while deleting the old version
        Files.writeString(discarded.resolve("vocab.txt"), "[PAD]\n");

        ElectraForSequenceClassification loaded = HfModels.sequenceClassifier(out, null, 0).model();
        assertArrayEquals(saved, loaded.namedParameters().get("classifier.out_proj.bias").toFloatArray(),
                "the name still holds the last complete save");

        model.namedParameters().get("classifier.out_proj.bias").copyFrom(new float[]{5, 4, 3, 2, 1});
        HfFolderWriter.save(out, model, model.config(), "ElectraForSequenceClassification", null, Map.of());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("last"), s.map(p -> p.getFileName().toString()).sorted().toList(), "the new save only");
        }
        assertArrayEquals(new float[]{5, 4, 3, 2, 1},
                HfModels.sequenceClassifier(out, null, 0).model().namedParameters().get("classifier.out_proj.bias").toFloatArray());
    }

    @Test
    void truncatedWeightsGiveAClearError(@TempDir Path dir) throws Exception {
        Golden g = Golden.fixture("tiny");
        Path copy = dir.resolve("broken");
        Files.createDirectories(copy);
        Files.copy(g.folder().resolve("config.json"), copy.resolve("config.json"));
        byte[] full = Files.readAllBytes(g.folder().resolve("model.safetensors"));
        Files.write(copy.resolve("model.safetensors"), java.util.Arrays.copyOf(full, full.length / 2));
        Exception e = assertThrows(java.io.IOException.class, () -> HfModels.sequenceClassifier(copy, null, 0));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void missingAndMismatchedWeightsAreNamed(@TempDir Path dir) throws Exception {
        Golden g = Golden.fixture("tiny");
        Path copy = dir.resolve("other-shape");
        Files.createDirectories(copy);
        Files.copy(g.folder().resolve("model.safetensors"), copy.resolve("model.safetensors"));
        Files.writeString(copy.resolve("config.json"), Files.readString(g.folder().resolve("config.json"))
                .replace("\"intermediate_size\": 64", "\"intermediate_size\": 48"));
        Exception e = assertThrows(java.io.IOException.class, () -> HfModels.sequenceClassifier(copy, null, 0));
        assertTrue(e.getMessage().contains("intermediate.dense.weight") && e.getMessage().contains("[64, 32]"), e.getMessage());

        Path encoderOnly = dir.resolve("no-config");
        Files.createDirectories(encoderOnly);
        Exception noConfig = assertThrows(java.io.IOException.class, () -> HfModels.sequenceClassifier(encoderOnly, List.of("a"), 0));
        assertTrue(noConfig.getMessage().contains("config.json"), noConfig.getMessage());
    }
}
