package io.elektron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model folders whose config.json lies about the model's size (found by CliFuzzTest#predictWithAHostileModelFile). */
class HostileModelFolderTest {
    @TempDir
    Path directory;

    /**
     * Found by fuzzing: a config.json whose vocab_size (100000000) disagrees with the 120-row embedding in
     * model.safetensors made {@code predict} allocate 6.4 GB from the config before reading the weights. The config is
     * now checked against the weights file first: exit code 3 naming config.json and vocab_size.
     */
    @Test
    void aConfigThatLiesAboutTheVocabularySizeIsABadInputNotAnOutOfMemoryError() throws IOException {
        Path model = Files.createDirectory(directory.resolve("model"));
        for (String name : List.of("model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json")) {
            Files.copy(CliTestSupport.resource("tiny/" + name), model.resolve(name));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(CliTestSupport.resource("tiny/config.json").toFile());
        config.put("vocab_size", 100_000_000);
        json.writeValue(model.resolve("config.json").toFile(), config);
        Path texts = Files.writeString(directory.resolve("texts.txt"), "hello world\n");

        CliTestSupport.Run run = CliTestSupport.run("predict", "--model", model.toString(), "--input", texts.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("config.json") && run.err().contains("vocab_size"), run.err());
    }

    /**
     * Found by fuzzing: special_tokens_map.json names a pad_token that is not in vocab.txt ("[PDA]"), so the tokenizer
     * has no pad id (-1), and batches were padded with -1. Padded positions are masked, so any id works: like HF,
     * Elektron now falls back to config.json's pad_token_id, and prediction succeeds.
     */
    @Test
    void aPadTokenMissingFromTheVocabularyFallsBackToTheConfigPadId() throws IOException {
        Path model = Files.createDirectory(directory.resolve("model"));
        for (String name : List.of("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json")) {
            Files.copy(CliTestSupport.resource("tiny/" + name), model.resolve(name));
        }
        Files.writeString(model.resolve("special_tokens_map.json"), "{\"pad_token\": \"[PDA]\"}");
        Path texts = Files.writeString(directory.resolve("texts.txt"), "hello world\nx y z w\n");

        CliTestSupport.Run run = CliTestSupport.run("predict", "--model", model.toString(), "--input", texts.toString(),
                "--batch-size", "2");
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertEquals(2, run.out().lines().count(), run.out());
    }
}
