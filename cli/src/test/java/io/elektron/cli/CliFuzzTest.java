package io.elektron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.elektron.cli.hub.HubModelId;
import io.elektron.model.ElectraConfig;
import io.elektron.tokenizer.TokenizerException;
import io.elektron.tokenizer.WordPieceTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of what the command line reads from users: {@code --model} ids and model folders.
 *
 * <p>Contracts: {@link HubModelId#parse} never throws, and an id it accepts can only name a folder inside the HF
 * cache; {@code elektron predict} on a model folder with one hostile file ends with a one-line error and a documented
 * exit code, never {@link ExitCode#INTERNAL} (a bug: stack trace, unchecked exception, out of memory).
 *
 * <p>{@code mvn test} runs only the committed seeds ({@code src/test/resources/io/elektron/cli/CliFuzzTestInputs/
 * <method>/}); {@code JAZZER_FUZZ=1} fuzzes one method (see docs/reliability.md).
 */
class CliFuzzTest {
    /** The files of the tiny classifier folder the predict target starts from; input byte 0 picks one to replace. */
    private static final List<String> MODEL_FILES = List.of("config.json", "model.safetensors", "vocab.txt",
            "tokenizer_config.json", "special_tokens_map.json", "thresholds.json");

    @FuzzTest
    @Timeout(10)
    void hubModelId(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Optional<HubModelId> parsed = HubModelId.parse(text);
        if (parsed.isEmpty()) {
            return;
        }
        HubModelId id = parsed.get();
        String folder = id.cacheFolderName();
        assertFalse(folder.contains("/") || folder.contains("\\") || folder.contains("..") || folder.startsWith("."),
                folder);
        for (String segment : id.revision().split("/", -1)) {
            assertFalse(segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\"),
                    id.revision());
        }
        assertEquals(parsed, HubModelId.parse(id.toString()));
    }

    @FuzzTest
    @Timeout(30)
    void predictWithAHostileModelFile(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        String replaced = MODEL_FILES.get((input[0] & 0xff) % MODEL_FILES.size());
        Path folder = FuzzFiles.folder();
        Path model = Files.createDirectory(folder.resolve("model"));
        for (String name : MODEL_FILES) {
            Path source = name.equals("thresholds.json") ? null : CliTestSupport.resource("tiny/" + name);
            if (name.equals(replaced)) {
                Files.write(model.resolve(name), Arrays.copyOfRange(input, 1, input.length));
            } else if (source != null) {
                Files.copy(source, model.resolve(name));
            }
        }
        Path texts = Files.writeString(folder.resolve("texts.txt"), "hello world\nx[MASK]y , é 中\n\n");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"predict", "--model", model.toString(), "--input", texts.toString(),
            "--batch-size", "2"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertNotEquals(ExitCode.INTERNAL, code, () -> "internal error for a hostile " + replaced + ": " + err);
        if (code != ExitCode.OK) {
            assertTrue(err.toString().contains("error: "), err::toString);
        }
    }



    /** One scratch directory per JVM; each input gets a fresh folder and the previous one is deleted. */
    static final class FuzzFiles {
        private static final Path DIRECTORY = createDirectory();
        private static final AtomicLong COUNTER = new AtomicLong();
        private static Path previous;

        private FuzzFiles() {
        }

        static synchronized Path folder() throws IOException {
            if (previous != null) {
                deleteTree(previous);
            }
            previous = Files.createDirectory(DIRECTORY.resolve(Long.toString(COUNTER.incrementAndGet())));
            return previous;
        }

        private static void deleteTree(Path folder) throws IOException {
            try (var paths = Files.walk(folder)) {
                for (Path path : (Iterable<Path>) paths.sorted((a, b) -> b.compareTo(a))::iterator) {
                    Files.deleteIfExists(path);
                }
            }
        }

        private static Path createDirectory() {
            try {
                Path directory = Files.createTempDirectory("elektron-fuzz-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        deleteTree(directory);
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
}
