package io.elektron.model.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * GoEmotions-style TSV: no header, exactly three tab-separated columns per line — text,
 * comma-separated label ids (e.g. {@code 4,27}; empty means no positive label), comment id.
 *
 * <p>No quoting: GoEmotions texts contain double quotes as plain characters and never a tab, so a
 * quote is just a character here (a CSV-style parser would mangle them).
 */
final class GoEmotionsTsvReader {

  private static final int COLUMNS = 3;

  private GoEmotionsTsvReader() {}

  static Dataset read(Path file, List<String> labelNames, ReadOptions options) throws IOException {
    int numLabels = labelNames.size();
    List<Example> examples = new ArrayList<>();
    BadLines badLines = new BadLines(file, options.skipBadLines());
    DuplicateIdCounter duplicateIds = new DuplicateIdCounter();
    long blankLines = 0;
    try (Utf8LineReader lines = new Utf8LineReader(file)) {
      for (Utf8LineReader.Line line = lines.next(); line != null; line = lines.next()) {
        if (!line.isValid()) {
          badLines.report(line.number(), line.encodingProblem());
          continue;
        }
        if (line.text().isEmpty()) {
          blankLines++;
          continue;
        }
        String[] columns = line.text().split("\t", -1);
        if (columns.length != COLUMNS) {
          badLines.report(line.number(), "expected " + COLUMNS
              + " tab-separated columns (text, comma-separated label ids, id), found "
              + columns.length);
          continue;
        }
        String problem = null;
        boolean[] labels = new boolean[numLabels];
        String labelColumn = columns[1].trim();
        if (!labelColumn.isEmpty()) {
          for (String token : labelColumn.split(",", -1)) {
            String idText = token.trim();
            int labelId;
            try {
              labelId = Integer.parseInt(idText);
            } catch (NumberFormatException e) {
              problem = "label id '" + idText + "' in column 2 is not an integer; expected "
                  + "comma-separated ids such as 4,27";
              break;
            }
            if (labelId < 0 || labelId >= numLabels) {
              problem = "label id " + labelId + " is out of range: there are " + numLabels
                  + " labels (ids 0.." + (numLabels - 1) + ")";
              break;
            }
            labels[labelId] = true;
          }
        }
        if (problem != null) {
          badLines.report(line.number(), problem);
          continue;
        }
        String id = columns[2].isEmpty() ? null : columns[2];
        duplicateIds.record(id, line.number());
        examples.add(new Example(columns[0], null, labels, id));
      }
    }
    return new Dataset(examples, labelNames, new ReadSummary(file, DatasetFormat.GOEMOTIONS_TSV,
        blankLines, badLines.count(), badLines.problems(), duplicateIds.duplicates(),
        duplicateIds.firstDuplicate()));
  }
}
