package io.elektron.model.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Entry point for reading a dataset file; the format comes from the extension ({@link
 * DatasetFormat#fromPath}) unless {@link ReadOptions#format()} forces one.
 *
 * <p>Typical trainer use: read train with {@code labelNames = null} (or the labels file's names for
 * a TSV), then read dev and test with {@code train.labelNames()} so that all three agree, and warn
 * about {@code train.labelsNeverSeen()} and {@code summary().warnings()}.
 */
public final class DatasetReader {

  private DatasetReader() {}

  /** {@link #read(Path, List, ReadOptions)} with default options and label names from the file. */
  public static Dataset read(Path file) throws IOException {
    return read(file, null, ReadOptions.DEFAULTS);
  }

  /**
   * Reads a dataset.
   *
   * @param file a {@code .tsv}, {@code .csv}, {@code .jsonl}/{@code .ndjson} or {@code .txt} file
   * @param labelNames the label names, or {@code null} to take them from the data: for {@code
   *     .tsv} from {@value LabelNames#DEFAULT_FILE_NAME} in the same directory, for {@code .csv}
   *     from the header, for {@code .jsonl} from the names used (sorted); {@code .txt} has none
   * @param options column names, bad-line policy, forced format
   * @throws DataFormatException for malformed data (file, line and expectation in the message)
   * @throws NoSuchFileException when the file does not exist
   * @throws IOException when it cannot be read
   */
  public static Dataset read(Path file, List<String> labelNames, ReadOptions options)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such dataset file");
    }
    if (labelNames != null) {
      // Fails fast on duplicate names instead of deep inside a reader.
      LabelNames.indexByName(labelNames);
      labelNames = List.copyOf(labelNames);
    }
    DatasetFormat format = options.format() != null ? options.format()
        : DatasetFormat.fromPath(file);
    return switch (format) {
      case GOEMOTIONS_TSV ->
          GoEmotionsTsvReader.read(file, labelNamesForTsv(file, labelNames), options);
      case CSV -> CsvDatasetReader.read(file, labelNames, options);
      case JSONL -> JsonlDatasetReader.read(file, labelNames, options);
      case TEXT -> PlainTextReader.read(file, labelNames, options);
    };
  }

  private static List<String> labelNamesForTsv(Path file, List<String> labelNames)
      throws IOException {
    if (labelNames != null) {
      return labelNames;
    }
    Path directory = file.toAbsolutePath().getParent();
    Path labelsFile = directory == null ? null : directory.resolve(LabelNames.DEFAULT_FILE_NAME);
    if (labelsFile == null || !Files.isRegularFile(labelsFile)) {
      throw new DataFormatException(file, 0, "a GoEmotions TSV holds label ids, which need label "
          + "names: pass them or put " + LabelNames.DEFAULT_FILE_NAME + " (one name per line, "
          + "line index = id) next to the file");
    }
    return LabelNames.read(labelsFile);
  }
}
