package io.elektron.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of the dataset readers: TSV (GoEmotions), CSV, JSONL and plain
 * text, and of the labels file. Contract: any file either reads into a consistent {@link Dataset}
 * or fails with a {@link DataFormatException} naming the file; any other throwable or a run past
 * the timeout is a finding.
 *
 * <p>{@code mvn test} runs only the committed seeds ({@code
 * src/test/resources/io/elektron/model/data/DatasetReaderFuzzTestInputs/<method>/}); {@code
 * JAZZER_FUZZ=1} fuzzes one method (see docs/reliability.md).
 */
class DatasetReaderFuzzTest {

  private static final List<String> LABELS = List.of("joy", "anger", "fear", "neutral");

  /**
   * The first byte picks the reading: bits 0-1 the format (TSV, CSV, JSONL, text), bit 2 skipping
   * bad lines, bit 3 passing the label names (otherwise they come from the data, or for a TSV from
   * the {@code labels.txt} beside it). The rest is the file.
   */
  @DictionaryEntries({
    "\"text\"", "\"text_pair\"", "\"id\"", "\"labels\"", "\"input_ids\"", "\"attention_mask\"",
    "\"token_type_ids\"", "joy", "anger", "fear", "neutral", "1.0", "0.0", "\"\"", "\\x0d\\x0a", "\\x09"
  })
  @FuzzTest
  @Timeout(10)
  void read(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    int selector = input[0] & 0xff;
    DatasetFormat format = DatasetFormat.values()[selector & 3];
    boolean skipBadLines = (selector & 4) != 0;
    List<String> labelNames = (selector & 8) != 0 ? LABELS : null;
    String extension =
        switch (format) {
          case GOEMOTIONS_TSV -> "tsv";
          case CSV -> "csv";
          case JSONL -> "jsonl";
          case TEXT -> "txt";
        };
    Path folder = FuzzFiles.folder();
    Files.write(folder.resolve(LabelNames.DEFAULT_FILE_NAME), String.join("\n", LABELS).getBytes());
    Path file =
        Files.write(folder.resolve("data." + extension), Arrays.copyOfRange(input, 1, input.length));

    Dataset dataset;
    try {
      dataset =
          DatasetReader.read(file, labelNames, ReadOptions.DEFAULTS.withSkipBadLines(skipBadLines));
    } catch (DataFormatException e) {
      assertEquals(file, e.file());
      assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
      return;
    }
    ReadSummary summary = dataset.summary();
    assertEquals(format, summary.format());
    assertTrue(skipBadLines || summary.skippedLines() == 0);
    for (Example example : dataset.examples()) {
      assertTrue(example.text() != null || example.inputIds() != null);
      if (example.hasLabels()) {
        assertEquals(dataset.numLabels(), example.labels().length);
      }
    }
    if (labelNames != null && format != DatasetFormat.TEXT) {
      assertEquals(labelNames, dataset.labelNames());
    }
    dataset.positivesPerLabel();
    summary.warnings();
    assertNotNull(dataset.labelsNeverSeen());
  }

  @FuzzTest
  @Timeout(10)
  void labelsFile(byte[] input) throws IOException {
    Path file = Files.write(FuzzFiles.folder().resolve(LabelNames.DEFAULT_FILE_NAME), input);
    List<String> names;
    try {
      names = LabelNames.read(file);
    } catch (DataFormatException e) {
      assertEquals(file, e.file());
      return;
    }
    assertEquals(names.size(), LabelNames.indexByName(names).size());
  }

  /**
   * One scratch directory per JVM; each input gets a fresh folder and the previous one is deleted.
   */
  static final class FuzzFiles {
    private static final Path DIRECTORY = createDirectory();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static Path previous;

    private FuzzFiles() {}

    static synchronized Path folder() throws IOException {
      if (previous != null) {
        deleteTree(previous);
      }
      previous = Files.createDirectory(DIRECTORY.resolve(Long.toString(COUNTER.incrementAndGet())));
      return previous;
    }

    private static void deleteTree(Path folder) throws IOException {
      try (var files = Files.list(folder)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(folder);
    }

    private static Path createDirectory() {
      try {
        Path directory = Files.createTempDirectory("elektron-fuzz-");
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        if (previous != null) {
                          deleteTree(previous);
                        }
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
}
