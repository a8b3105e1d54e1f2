package io.elektron.model.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset or labels file holds something other than what its format requires. The message reads
 * {@code <file>, line <n>: <problem>} (or {@code <file>: <problem>} for whole-file problems) so a
 * user can open the file at the right place.
 *
 * <p>An {@link IOException} so that callers handle unreadable and malformed files in one place.
 * Not to be confused with {@code java.util.zip.DataFormatException}.
 */
public class DataFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long lineNumber;
  private final String problem;

  /**
   * @param file the file being read
   * @param lineNumber 1-based line, or 0 when the problem concerns the whole file
   * @param problem what was found and what was expected
   */
  public DataFormatException(Path file, long lineNumber, String problem) {
    super(format(file, lineNumber, problem));
    this.file = file;
    this.lineNumber = lineNumber;
    this.problem = problem;
  }

  /** The file being read. */
  public Path file() {
    return file;
  }

  /** The 1-based line, or 0 for a whole-file problem. */
  public long lineNumber() {
    return lineNumber;
  }

  /** The problem without the file and line prefix. */
  public String problem() {
    return problem;
  }

  static String format(Path file, long lineNumber, String problem) {
    return lineNumber > 0 ? file + ", line " + lineNumber + ": " + problem : file + ": " + problem;
  }
}
