package io.elektron.model.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code .txt}: every line is one unlabeled text, for prediction. An empty line is an empty text
 * (kept, so that output line {@code i} answers input line {@code i}).
 */
final class PlainTextReader {

  private PlainTextReader() {}

  static Dataset read(Path file, List<String> labelNames, ReadOptions options) throws IOException {
    List<Example> examples = new ArrayList<>();
    BadLines badLines = new BadLines(file, options.skipBadLines());
    try (Utf8LineReader lines = new Utf8LineReader(file)) {
      for (Utf8LineReader.Line line = lines.next(); line != null; line = lines.next()) {
        if (!line.isValid()) {
          badLines.report(line.number(), line.encodingProblem());
          continue;
        }
        examples.add(new Example(line.text(), null, null, null));
      }
    }
    return new Dataset(examples, labelNames == null ? List.of() : labelNames,
        new ReadSummary(file, DatasetFormat.TEXT, 0, badLines.count(), badLines.problems(), 0,
            null));
  }
}
