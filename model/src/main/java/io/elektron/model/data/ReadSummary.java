package io.elektron.model.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened while reading a file, for the CLI to print and the trainer to log.
 *
 * @param source the file read, or {@code null} for a dataset built in memory
 * @param format its format, or {@code null} for a dataset built in memory
 * @param blankLines blank lines skipped (not counted as bad)
 * @param skippedLines malformed lines skipped under {@link ReadOptions#skipBadLines()}
 * @param skippedLineProblems messages ({@code file, line n: problem}) for the first {@value
 *     #MAX_REPORTED_PROBLEMS} skipped lines
 * @param duplicateIds examples whose id already appeared earlier in the file
 * @param firstDuplicateId a message naming the first duplicate and both lines, or {@code null}
 */
public record ReadSummary(
    Path source,
    DatasetFormat format,
    long blankLines,
    long skippedLines,
    List<String> skippedLineProblems,
    long duplicateIds,
    String firstDuplicateId) {

  /** How many skipped-line messages are kept; the count covers all of them. */
  public static final int MAX_REPORTED_PROBLEMS = 20;

  public ReadSummary {
    skippedLineProblems = List.copyOf(skippedLineProblems);
  }

  /** The summary of a dataset that was not read from a file. */
  public static ReadSummary inMemory() {
    return new ReadSummary(null, null, 0, 0, List.of(), 0, null);
  }

  /**
   * Human-readable warnings (skipped lines, duplicate ids); empty when the file was clean. Blank
   * lines are not warned about: trailing blank lines are common and harmless.
   */
  public List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (skippedLines > 0) {
      warnings.add(source + ": skipped " + skippedLines + " malformed line"
          + (skippedLines == 1 ? "" : "s") + (skippedLines > skippedLineProblems.size()
              ? " (first " + skippedLineProblems.size() + " listed)" : ""));
      warnings.addAll(skippedLineProblems);
    }
    if (duplicateIds > 0) {
      warnings.add(source + ": " + duplicateIds + " example" + (duplicateIds == 1 ? "" : "s")
          + " reuse an earlier id; first: " + firstDuplicateId);
    }
    return warnings;
  }
}
