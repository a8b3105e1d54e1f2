package io.elektron.model.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy for malformed lines: fail on the first, or — with {@link ReadOptions#skipBadLines()}
 * — skip, count and keep a message for the first few.
 */
final class BadLines {

  private final Path file;
  private final boolean skip;
  private final List<String> problems = new ArrayList<>();
  private long count;

  BadLines(Path file, boolean skip) {
    this.file = file;
    this.skip = skip;
  }

  /**
   * Reports a malformed line. Returns normally (the caller then drops the line) only when skipping.
   *
   * @throws DataFormatException when not skipping
   */
  void report(long lineNumber, String problem) throws DataFormatException {
    if (!skip) {
      throw new DataFormatException(file, lineNumber, problem);
    }
    count++;
    if (problems.size() < ReadSummary.MAX_REPORTED_PROBLEMS) {
      problems.add(DataFormatException.format(file, lineNumber, problem));
    }
  }

  long count() {
    return count;
  }

  List<String> problems() {
    return problems;
  }
}
