package io.elektron.model.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a UTF-8 file into RFC 4180 records: fields separated by commas; a field starting with a
 * double quote is quoted and may hold commas, newlines and doubled quotes ({@code ""}); a record
 * ends at a newline outside quotes.
 *
 * <p>Deliberate choices: a quote inside an <em>unquoted</em> field is an ordinary character (as in
 * Python's csv module; such files are common and unambiguous), but text after a closing quote
 * ({@code "abc"x}) is an error, because it almost always means an undoubled quote inside a quoted
 * field, and guessing would silently merge or split fields. Whitespace is kept as it is. Newlines
 * inside quoted fields come back as {@code \n} whatever the file used.
 *
 * <p>After a malformed record, reading resumes at the next physical line.
 */
final class CsvRecordReader {

  /**
   * One record, a blank line, or a malformed record.
   *
   * @param lineNumber the record's first line; for a problem, the line to report
   * @param fields the fields, or {@code null} for a blank line or a problem
   * @param problem what is malformed, or {@code null}
   */
  record CsvRecord(long lineNumber, List<String> fields, String problem) {
    boolean isBlank() {
      return fields == null && problem == null;
    }
  }

  private enum State { FIELD_START, UNQUOTED, QUOTED, AFTER_CLOSING_QUOTE }

  private final Utf8LineReader lines;

  CsvRecordReader(Utf8LineReader lines) {
    this.lines = lines;
  }

  /** The next record, or {@code null} at end of file. */
  CsvRecord next() throws IOException {
    Utf8LineReader.Line line = lines.next();
    if (line == null) {
      return null;
    }
    long firstLine = line.number();
    if (!line.isValid()) {
      return new CsvRecord(firstLine, null, line.encodingProblem());
    }
    if (line.text().isEmpty()) {
      return new CsvRecord(firstLine, null, null);
    }
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    State state = State.FIELD_START;
    String text = line.text();
    long currentLine = firstLine;
    int i = 0;
    while (true) {
      if (i == text.length()) {
        if (state != State.QUOTED) {
          fields.add(field.toString());
          return new CsvRecord(firstLine, fields, null);
        }
        Utf8LineReader.Line continuation = lines.next();
        if (continuation == null) {
          return new CsvRecord(firstLine, null, "quoted field " + (fields.size() + 1)
              + " starting on this line is never closed; expected a closing double quote "
              + "before the end of the file");
        }
        if (!continuation.isValid()) {
          return new CsvRecord(continuation.number(), null, continuation.encodingProblem());
        }
        field.append('\n');
        text = continuation.text();
        currentLine = continuation.number();
        i = 0;
        continue;
      }
      char c = text.charAt(i++);
      switch (state) {
        case FIELD_START:
          if (c == '"') {
            state = State.QUOTED;
          } else if (c == ',') {
            fields.add("");
          } else {
            field.append(c);
            state = State.UNQUOTED;
          }
          break;
        case UNQUOTED:
          if (c == ',') {
            fields.add(field.toString());
            field.setLength(0);
            state = State.FIELD_START;
          } else {
            field.append(c);
          }
          break;
        case QUOTED:
          if (c != '"') {
            field.append(c);
          } else if (i < text.length() && text.charAt(i) == '"') {
            field.append('"');
            i++;
          } else {
            state = State.AFTER_CLOSING_QUOTE;
          }
          break;
        case AFTER_CLOSING_QUOTE:
          if (c == ',') {
            fields.add(field.toString());
            field.setLength(0);
            state = State.FIELD_START;
          } else {
            return new CsvRecord(currentLine, null, "unexpected character '" + c
                + "' after the closing quote of field " + (fields.size() + 1)
                + "; expected a comma or the end of the line (a quote inside a quoted field "
                + "must be doubled: \"\")");
          }
          break;
        default:
          throw new AssertionError(state);
      }
    }
  }
}
