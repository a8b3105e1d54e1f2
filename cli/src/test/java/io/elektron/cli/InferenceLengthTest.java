package io.elektron.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which length eval, predict and encode cut inputs to. */
class InferenceLengthTest {
    @Test
    void theLengthTheCheckpointWasTrainedWithUnlessTheCommandLineSaysOtherwise(@TempDir Path dir) throws IOException {
        Path best = Files.createDirectories(dir.resolve("best"));
        Files.writeString(best.resolve("training_args.json"), "{\"max_length\": 64, \"epochs\": 3}");
        assertEquals(64, InferenceInputs.maxLength(null, best, 128, 512));
        assertEquals(256, InferenceInputs.maxLength(256, best, 128, 512), "--max-length wins");
        assertEquals(40, InferenceInputs.maxLength(null, best, 128, 40), "never past the position embeddings");
        assertEquals(40, InferenceInputs.maxLength(300, best, 128, 40), "never past the position embeddings");
    }

    @Test
    void aModelThatRecordsNoLengthGetsTheCommandsDefault(@TempDir Path dir) throws IOException {
        assertEquals(128, InferenceInputs.maxLength(null, dir, 128, 512));
        assertEquals(512, InferenceInputs.maxLength(null, dir, 512, 512));
    }

    @Test
    void aCheckpointSavedBeforeTrainingArgsExistedTakesTheLengthFromItsRunFolder(@TempDir Path dir) throws IOException {
        Path best = Files.createDirectories(dir.resolve("run/best"));
        Files.writeString(dir.resolve("run/run.json"), "{\"command\": \"train\", \"options\": {\"maxLength\": 96}}");
        assertEquals(96, InferenceInputs.maxLength(null, best, 128, 512));
        Path elsewhere = Files.createDirectories(dir.resolve("run/exported"));
        assertEquals(128, InferenceInputs.maxLength(null, elsewhere, 128, 512), "only best/ and last/ belong to the run");
    }

    @Test
    void aBrokenRecordIsNamedNotIgnored(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("training_args.json"), "{\"max_length\": \"long\"}");
        IOException e = assertThrows(IOException.class, () -> InferenceInputs.maxLength(null, dir, 128, 512));
        assertTrue(e.getMessage().contains("training_args.json") && e.getMessage().contains("max_length"), e.getMessage());
    }

    @Test
    void aLengthTooShortForClsAndSepIsRefused(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> InferenceInputs.maxLength(1, dir, 128, 512));
    }
}
