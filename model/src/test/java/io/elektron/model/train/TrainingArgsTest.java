package io.elektron.model.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training_args.json: the options a checkpoint was trained with, read back for inference. */
class TrainingArgsTest {
    @Test
    void theTrainingLengthIsWrittenAndReadBack(@TempDir Path folder) throws IOException {
        Files.write(folder.resolve(TrainingArgs.FILE_NAME), TrainingArgs.toJsonBytes(TrainingOptions.defaults().withMaxLength(96)));
        assertEquals(OptionalInt.of(96), TrainingArgs.maxLength(folder));
        assertTrue(Files.readString(folder.resolve(TrainingArgs.FILE_NAME)).contains("\"max_length\" : 96"));
    }

    @Test
    void aFolderWithoutTheFileRecordsNoLengthAndABrokenFileIsNamed(@TempDir Path folder) throws IOException {
        assertEquals(OptionalInt.empty(), TrainingArgs.maxLength(folder));
        Files.writeString(folder.resolve(TrainingArgs.FILE_NAME), "{\"max_length\": 1}");
        IOException e = assertThrows(IOException.class, () -> TrainingArgs.maxLength(folder));
        assertTrue(e.getMessage().contains(TrainingArgs.FILE_NAME), e.getMessage());
    }
}
