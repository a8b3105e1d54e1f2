package io.elektron.model.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CSV with a header: a text column ({@link ReadOptions#textColumn()}), optional text-pair and id
 * columns, and every other column a label holding 0 or 1 ({@code 0.0} / {@code 1.0} too, as
 * pandas writes them). Label names are those column names. A CSV with no label columns gives
 * unlabeled examples (prediction input). Quoting: see {@link CsvRecordReader}.
 *
 * <p>When label names are given (e.g. the training set's, when reading dev), the label columns
 * must be exactly those labels, in any order; values are rearranged into the given order.
 */
final class CsvDatasetReader {

  private CsvDatasetReader() {}

  static Dataset read(Path file, List<String> givenLabelNames, ReadOptions options)
      throws IOException {
    List<Example> examples = new ArrayList<>();
    BadLines badLines = new BadLines(file, options.skipBadLines());
    DuplicateIdCounter duplicateIds = new DuplicateIdCounter();
    long blankLines = 0;
    List<String> labelNames;
    try (Utf8LineReader lines = new Utf8LineReader(file)) {
      CsvRecordReader records = new CsvRecordReader(lines);
      CsvRecordReader.CsvRecord header = records.next();
      while (header != null && header.isBlank()) {
        blankLines++;
        header = records.next();
      }
      if (header == null) {
        throw new DataFormatException(file, 0,
            "empty file; expected a header line naming the text column and the label columns");
      }
      if (header.problem() != null) {
        throw new DataFormatException(file, header.lineNumber(),
            "cannot read the header: " + header.problem());
      }
      Header columns = Header.parse(file, header, givenLabelNames, options);
      labelNames = columns.labelNames();
      int width = columns.names().size();

      for (CsvRecordReader.CsvRecord record = records.next(); record != null;
          record = records.next()) {
        if (record.isBlank()) {
          blankLines++;
          continue;
        }
        if (record.problem() != null) {
          badLines.report(record.lineNumber(), record.problem());
          continue;
        }
        List<String> fields = record.fields();
        if (fields.size() != width) {
          badLines.report(record.lineNumber(), "expected " + width
              + " comma-separated columns as in the header, found " + fields.size()
              + " (quote fields that contain commas or newlines)");
          continue;
        }
        boolean[] labels = null;
        String problem = null;
        if (!columns.labelColumnToIndex().isEmpty()) {
          labels = new boolean[labelNames.size()];
          for (Map.Entry<Integer, Integer> column : columns.labelColumnToIndex().entrySet()) {
            String value = fields.get(column.getKey()).trim();
            if (value.equals("1") || value.equals("1.0")) {
              labels[column.getValue()] = true;
            } else if (!value.equals("0") && !value.equals("0.0")) {
              problem = "column '" + columns.names().get(column.getKey())
                  + "' must be 0 or 1, found '" + value + "'";
              break;
            }
          }
        }
        if (problem != null) {
          badLines.report(record.lineNumber(), problem);
          continue;
        }
        String text = fields.get(columns.text());
        String textPair = columns.textPair() < 0 ? null : fields.get(columns.textPair());
        String id = columns.id() < 0 || fields.get(columns.id()).isEmpty()
            ? null : fields.get(columns.id());
        duplicateIds.record(id, record.lineNumber());
        examples.add(new Example(text, textPair, labels, id));
      }
    }
    return new Dataset(examples, labelNames, new ReadSummary(file, DatasetFormat.CSV, blankLines,
        badLines.count(), badLines.problems(), duplicateIds.duplicates(),
        duplicateIds.firstDuplicate()));
  }

  /**
   * Where each kind of column sits.
   *
   * @param names header names in column order
   * @param text text column index
   * @param textPair text-pair column index, or -1
   * @param id id column index, or -1
   * @param labelNames the dataset's label names
   * @param labelColumnToIndex column index to label index, in column order (empty: unlabeled)
   */
  private record Header(List<String> names, int text, int textPair, int id,
      List<String> labelNames, Map<Integer, Integer> labelColumnToIndex) {

    static Header parse(Path file, CsvRecordReader.CsvRecord header, List<String> givenLabelNames,
        ReadOptions options) throws DataFormatException {
      long line = header.lineNumber();
      List<String> names = new ArrayList<>();
      Map<String, Integer> columnOfName = new HashMap<>();
      for (String raw : header.fields()) {
        // Header names are trimmed: "text, anger" is a common hand-written header.
        String name = raw.trim();
        if (name.isEmpty()) {
          throw new DataFormatException(file, line,
              "header column " + (names.size() + 1) + " has no name");
        }
        if (columnOfName.putIfAbsent(name, names.size()) != null) {
          throw new DataFormatException(file, line, "header names column '" + name + "' twice");
        }
        names.add(name);
      }
      Integer text = columnOfName.get(options.textColumn());
      if (text == null) {
        throw new DataFormatException(file, line, "no text column '" + options.textColumn()
            + "' in the header " + names + "; name the text column in the options");
      }
      int textPair = columnOfName.getOrDefault(options.textPairColumn(), -1);
      int id = columnOfName.getOrDefault(options.idColumn(), -1);

      List<Integer> labelColumns = new ArrayList<>();
      for (int c = 0; c < names.size(); c++) {
        if (c != text && c != textPair && c != id) {
          labelColumns.add(c);
        }
      }
      Map<Integer, Integer> labelColumnToIndex = new LinkedHashMap<>();
      List<String> labelNames;
      if (givenLabelNames == null) {
        labelNames = new ArrayList<>();
        for (int c : labelColumns) {
          labelColumnToIndex.put(c, labelNames.size());
          labelNames.add(names.get(c));
        }
      } else {
        labelNames = givenLabelNames;
        if (!labelColumns.isEmpty()) {
          Map<String, Integer> labelIndex = LabelNames.indexByName(givenLabelNames);
          Set<String> covered = new HashSet<>();
          for (int c : labelColumns) {
            Integer index = labelIndex.get(names.get(c));
            if (index == null) {
              throw new DataFormatException(file, line, "column '" + names.get(c)
                  + "' is not one of the " + givenLabelNames.size() + " known labels "
                  + givenLabelNames + " (nor the text, text-pair or id column)");
            }
            labelColumnToIndex.put(c, index);
            covered.add(names.get(c));
          }
          for (String label : givenLabelNames) {
            if (!covered.contains(label)) {
              throw new DataFormatException(file, line, "no column for label '" + label
                  + "'; expected one 0/1 column per label " + givenLabelNames);
            }
          }
        }
      }
      return new Header(names, text, textPair, id, labelNames, labelColumnToIndex);
    }
  }
}
