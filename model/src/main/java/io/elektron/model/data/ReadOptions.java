package io.elektron.model.data;

/**
 * How {@link DatasetReader} reads a file. Start from {@link #DEFAULTS} and change fields with the
 * {@code with...} methods.
 *
 * @param textColumn CSV column / JSONL key holding the text (default {@code text})
 * @param textPairColumn CSV column / JSONL key holding the optional second text (default {@code
 *     text_pair}); absent columns are fine
 * @param idColumn CSV column / JSONL key holding the optional example id (default {@code id})
 * @param skipBadLines skip, count and report malformed lines instead of failing on the first
 * @param format the format to read, or {@code null} to pick it by extension
 */
public record ReadOptions(
    String textColumn,
    String textPairColumn,
    String idColumn,
    boolean skipBadLines,
    DatasetFormat format) {

  /** {@code text}, {@code text_pair}, {@code id}, fail on bad lines, format by extension. */
  public static final ReadOptions DEFAULTS =
      new ReadOptions("text", "text_pair", "id", false, null);

  public ReadOptions {
    requireName(textColumn, "textColumn");
    requireName(textPairColumn, "textPairColumn");
    requireName(idColumn, "idColumn");
  }

  /** Same options with another text column / key name. */
  public ReadOptions withTextColumn(String name) {
    return new ReadOptions(name, textPairColumn, idColumn, skipBadLines, format);
  }

  /** Same options with another text-pair column / key name. */
  public ReadOptions withTextPairColumn(String name) {
    return new ReadOptions(textColumn, name, idColumn, skipBadLines, format);
  }

  /** Same options with another id column / key name. */
  public ReadOptions withIdColumn(String name) {
    return new ReadOptions(textColumn, textPairColumn, name, skipBadLines, format);
  }

  /** Same options, skipping (true) or failing on (false) malformed lines. */
  public ReadOptions withSkipBadLines(boolean skip) {
    return new ReadOptions(textColumn, textPairColumn, idColumn, skip, format);
  }

  /** Forces a format regardless of the extension ({@code null}: by extension). */
  public ReadOptions withFormat(DatasetFormat forced) {
    return new ReadOptions(textColumn, textPairColumn, idColumn, skipBadLines, forced);
  }

  private static void requireName(String name, String what) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(what + " must be a non-empty name");
    }
  }
}
