package io.elektron.bench.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The GoEmotions training texts (first column of {@code train.tsv}), the tokenizer workload. */
final class GoEmotionsTexts {
  private GoEmotionsTexts() {}

  /**
   * The shared-data folder: system property {@code elektron.shared}, else {@code ../shared}
   * relative to the working directory (the repository root), else {@code /work/shared}.
   */
  static Path sharedFolder() {
    String property = System.getProperty("elektron.shared");
    if (property != null) {
      return Path.of(property);
    }
    Path relative = Path.of("..", "shared");
    return Files.isDirectory(relative) ? relative : Path.of("/work/shared");
  }

  /** {@code shared/data/goemotions/original/train.tsv}. */
  static Path trainFile() {
    return sharedFolder().resolve("data/goemotions/original/train.tsv");
  }

  /** {@code shared/vocab/bert-base-uncased/vocab.txt} (identical to ELECTRA's vocabulary). */
  static Path uncasedVocab() {
    return sharedFolder().resolve("vocab/bert-base-uncased/vocab.txt");
  }

  /** The text column of every line of {@code file}. */
  static List<String> load(Path file) throws IOException {
    List<String> texts = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      texts.add(tab < 0 ? line : line.substring(0, tab));
    }
    return texts;
  }
}
