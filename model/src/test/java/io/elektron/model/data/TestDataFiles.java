package io.elektron.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Locates the small dataset files under {@code src/test/resources/data/} and checks errors. */
final class TestDataFiles {

  static final List<String> LABELS = List.of("joy", "anger", "fear", "neutral");

  private TestDataFiles() {}

  static Path resource(String relative) {
    URL url = TestDataFiles.class.getResource("/data/" + relative);
    if (url == null) {
      throw new IllegalStateException("missing test resource data/" + relative);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Asserts that reading fails with a message naming the file, the line and {@code expected}.
   */
  static DataFormatException assertBadLine(
      Path file, long line, String expected, Executable read) {
    DataFormatException error = assertThrows(DataFormatException.class, read);
    String message = error.getMessage();
    assertTrue(message.contains(file.getFileName().toString()), message);
    if (line > 0) {
      assertTrue(message.contains("line " + line + ":"), message);
    }
    assertEquals(line, error.lineNumber(), message);
    assertTrue(message.contains(expected), message);
    return error;
  }

  static boolean[] labels(boolean... values) {
    return values;
  }
}
