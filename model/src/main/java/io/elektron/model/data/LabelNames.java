package io.elektron.model.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading a labels file and looking label names up. */
public final class LabelNames {

  /** The labels file {@link DatasetReader} looks for next to a {@code .tsv} when given no names. */
  public static final String DEFAULT_FILE_NAME = "labels.txt";

  private LabelNames() {}

  /**
   * Reads one label name per line; line {@code k} (0-based) names label id {@code k}. Surrounding
   * whitespace is trimmed and trailing blank lines are ignored.
   *
   * @throws DataFormatException on invalid UTF-8, a blank line before the last name, a duplicate
   *     name, or no names at all
   */
  public static List<String> read(Path labelsFile) throws IOException {
    List<String> names = new ArrayList<>();
    Map<String, Long> lineOfName = new HashMap<>();
    long blankLine = 0;
    try (Utf8LineReader lines = new Utf8LineReader(labelsFile)) {
      for (Utf8LineReader.Line line = lines.next(); line != null; line = lines.next()) {
        if (!line.isValid()) {
          throw new DataFormatException(labelsFile, line.number(), line.encodingProblem());
        }
        String name = line.text().trim();
        if (name.isEmpty()) {
          if (blankLine == 0) {
            blankLine = line.number();
          }
          continue;
        }
        if (blankLine != 0) {
          throw new DataFormatException(labelsFile, blankLine,
              "blank line between label names; every line up to the last must hold a name "
                  + "(line index = label id)");
        }
        Long earlier = lineOfName.putIfAbsent(name, line.number());
        if (earlier != null) {
          throw new DataFormatException(labelsFile, line.number(),
              "duplicate label name '" + name + "' (also on line " + earlier + ")");
        }
        names.add(name);
      }
    }
    if (names.isEmpty()) {
      throw new DataFormatException(labelsFile, 0, "no label names; expected one name per line");
    }
    return Collections.unmodifiableList(names);
  }

  /**
   * Name to index.
   *
   * @throws IllegalArgumentException on a duplicate or empty name
   */
  public static Map<String, Integer> indexByName(List<String> labelNames) {
    Map<String, Integer> index = new HashMap<>();
    for (int l = 0; l < labelNames.size(); l++) {
      String name = labelNames.get(l);
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("label " + l + " has no name");
      }
      Integer earlier = index.putIfAbsent(name, l);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "label name '" + name + "' appears twice (labels " + earlier + " and " + l + ")");
      }
    }
    return index;
  }
}
