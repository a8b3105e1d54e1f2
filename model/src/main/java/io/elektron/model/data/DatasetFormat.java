package io.elektron.model.data;

import java.nio.file.Path;
import java.util.Locale;

/** The dataset file formats {@link DatasetReader} understands. */
public enum DatasetFormat {
  /** {@code .tsv}: GoEmotions style, {@code text<TAB>label ids<TAB>id}, no header. */
  GOEMOTIONS_TSV,
  /** {@code .csv}: header, text column, one 0/1 column per label. */
  CSV,
  /** {@code .jsonl} or {@code .ndjson}: one JSON object per line. */
  JSONL,
  /** {@code .txt}: one unlabeled text per line. */
  TEXT;

  /**
   * The format named by the file's extension (case-insensitive).
   *
   * @throws DataFormatException for any other extension
   */
  public static DatasetFormat fromPath(Path file) throws DataFormatException {
    Path name = file.getFileName();
    String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".tsv")) {
      return GOEMOTIONS_TSV;
    }
    if (lower.endsWith(".csv")) {
      return CSV;
    }
    if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) {
      return JSONL;
    }
    if (lower.endsWith(".txt")) {
      return TEXT;
    }
    throw new DataFormatException(file, 0,
        "cannot tell the dataset format from the file name; expected an extension .tsv "
            + "(GoEmotions), .csv, .jsonl/.ndjson or .txt");
  }
}
