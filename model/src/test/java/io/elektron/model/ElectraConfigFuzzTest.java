package io.elektron.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of {@code config.json}. Contract: any file either loads, and
 * then survives a round trip through {@link ElectraConfig#toJson(String)}, or fails with an
 * {@link IOException} whose message names the file; anything else (an unchecked exception, an
 * {@link OutOfMemoryError} from a lying count, a run past the timeout) is a finding.
 *
 * <p>{@code mvn test} runs only the committed seeds ({@code
 * src/test/resources/io/elektron/model/ElectraConfigFuzzTestInputs/load/}); {@code JAZZER_FUZZ=1}
 * fuzzes it (see docs/reliability.md).
 */
class ElectraConfigFuzzTest {
    private static final Path DIRECTORY = createDirectory();

    @DictionaryEntries({"\"vocab_size\"", "\"embedding_size\"", "\"hidden_size\"", "\"num_hidden_layers\"",
        "\"num_attention_heads\"", "\"intermediate_size\"", "\"hidden_act\"", "\"gelu\"", "\"id2label\"",
        "\"num_labels\"", "\"classifier_dropout\"", "\"max_position_embeddings\"", "\"type_vocab_size\"",
        "\"pad_token_id\"", "\"problem_type\"", "\"layer_norm_eps\"", "\"0\"", "\"1\"", "2147483647", "1e10", "null"})
    @FuzzTest
    @Timeout(10)
    void load(byte[] input) throws IOException {
        Path file = Files.write(DIRECTORY.resolve("config.json"), input);
        ElectraConfig config;
        try {
            config = ElectraConfig.load(file);
        } catch (IOException e) {
            assertTrue(e.getMessage() != null && e.getMessage().startsWith(file.toString()), e.getMessage());
            return;
        }
        // What a saved model writes must load back to the same configuration.
        ElectraConfig again = ElectraConfig.fromJson(config.toJson("ElectraForSequenceClassification"));
        assertEquals(config.vocabSize(), again.vocabSize());
        assertEquals(config.embeddingSize(), again.embeddingSize());
        assertEquals(config.hiddenSize(), again.hiddenSize());
        assertEquals(config.numHiddenLayers(), again.numHiddenLayers());
        assertEquals(config.numAttentionHeads(), again.numAttentionHeads());
        assertEquals(config.intermediateSize(), again.intermediateSize());
        assertEquals(config.maxPositionEmbeddings(), again.maxPositionEmbeddings());
        assertEquals(config.typeVocabSize(), again.typeVocabSize());
        assertEquals(config.padTokenId(), again.padTokenId());
        assertEquals(config.labelNames(), again.labelNames());
        assertEquals(config.headDropout(), again.headDropout());
    }

    private static Path createDirectory() {
        try {
            Path directory = Files.createTempDirectory("elektron-fuzz-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(directory.resolve("config.json"));
                    Files.deleteIfExists(directory);
                } catch (IOException ignored) {
                    // a leftover scratch file in the temp directory is harmless
                }
            }));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
