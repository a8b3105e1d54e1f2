package io.elektron.model.data;

import static io.elektron.model.data.TestDataFiles.assertBadLine;
import static io.elektron.model.data.TestDataFiles.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvDatasetReaderTest {

  @Test
  void quotingCommasQuotesAndNewlines() throws Exception {
    Dataset dataset = DatasetReader.read(resource("csv/good.csv"));
    assertEquals(List.of("joy", "anger", "fear"), dataset.labelNames());
    assertEquals(5, dataset.size());
    List<Example> examples = dataset.examples();
    assertEquals("Hello, world", examples.get(0).text());
    assertEquals("a1", examples.get(0).id());
    assertArrayEquals(new boolean[] {true, false, false}, examples.get(0).labels());
    assertEquals("She said \"hi\"", examples.get(1).text());
    assertArrayEquals(new int[] {1, 2}, examples.get(1).labelIds());
    // The CRLF inside the quoted field comes back as \n.
    assertEquals("line one\nline two", examples.get(2).text());
    assertEquals("", examples.get(3).text());
    // A quote inside an unquoted field is an ordinary character.
    assertEquals("plain text with a \" quote", examples.get(4).text());
    assertNull(examples.get(4).textPair());
  }

  @Test
  void givenLabelNamesReorderColumns() throws Exception {
    Dataset dataset = DatasetReader.read(
        resource("csv/good.csv"), List.of("fear", "joy", "anger"), ReadOptions.DEFAULTS);
    assertEquals(List.of("fear", "joy", "anger"), dataset.labelNames());
    // Row a2: joy 0, anger 1, fear 1 -> in the order (fear, joy, anger): 1, 0, 1.
    assertArrayEquals(new boolean[] {true, false, true}, dataset.examples().get(1).labels());
  }

  @Test
  void givenLabelNamesMustMatchTheColumns() {
    Path file = resource("csv/good.csv");
    assertBadLine(file, 1, "column 'fear' is not one of the 3 known labels",
        () -> DatasetReader.read(file, List.of("joy", "anger", "sadness"), ReadOptions.DEFAULTS));
    assertBadLine(file, 1, "no column for label 'sadness'",
        () -> DatasetReader.read(
            file, List.of("joy", "anger", "fear", "sadness"), ReadOptions.DEFAULTS));
  }

  @Test
  void textPairAndCustomTextColumn() throws Exception {
    Dataset dataset = DatasetReader.read(resource("csv/pair.csv"), null,
        ReadOptions.DEFAULTS.withTextColumn("sentence"));
    assertEquals(List.of("joy", "anger"), dataset.labelNames());
    Example first = dataset.examples().get(0);
    assertEquals("premise one", first.text());
    assertEquals("hypothesis one", first.textPair());
    // 0.0 / 1.0 are accepted as pandas writes them.
    assertArrayEquals(new boolean[] {true, false}, first.labels());
    assertArrayEquals(new boolean[] {false, true}, dataset.examples().get(1).labels());
  }

  @Test
  void textOnlyCsvIsUnlabeled() throws Exception {
    Dataset dataset = DatasetReader.read(resource("csv/unlabeled.csv"));
    assertEquals(List.of(), dataset.labelNames());
    assertEquals("second, text", dataset.examples().get(1).text());
    assertFalse(dataset.isFullyLabeled());
    assertNull(dataset.examples().get(0).labels());
  }

  @Test
  void byteOrderMarkIsDropped() throws Exception {
    Dataset dataset = DatasetReader.read(resource("csv/bom.csv"));
    assertEquals(List.of("joy"), dataset.labelNames());
    assertEquals("hello", dataset.examples().get(0).text());
  }

  @Test
  void wrongColumnCountCountsPhysicalLines() {
    // The record on lines 2-3 spans a quoted newline; the bad record starts on line 4.
    Path file = resource("csv/wrong_columns.csv");
    assertBadLine(file, 4, "expected 3 comma-separated columns as in the header, found 4",
        () -> DatasetReader.read(file));
  }

  @Test
  void labelValueMustBeZeroOrOne() {
    Path file = resource("csv/bad_value.csv");
    assertBadLine(file, 3, "column 'joy' must be 0 or 1, found 'yes'",
        () -> DatasetReader.read(file));
  }

  @Test
  void unterminatedQuoteNamesTheLineItStarts() {
    Path file = resource("csv/unterminated.csv");
    assertBadLine(file, 3, "never closed", () -> DatasetReader.read(file));
  }

  @Test
  void textAfterClosingQuote() {
    Path file = resource("csv/after_quote.csv");
    assertBadLine(file, 2, "unexpected character 'x' after the closing quote",
        () -> DatasetReader.read(file));
  }

  @Test
  void missingTextColumnAndDuplicateHeader() {
    Path missing = resource("csv/missing_text_column.csv");
    assertBadLine(missing, 1, "no text column 'text'", () -> DatasetReader.read(missing));
    Path duplicate = resource("csv/duplicate_header.csv");
    assertBadLine(duplicate, 1, "column 'joy' twice", () -> DatasetReader.read(duplicate));
  }

  @Test
  void invalidUtf8() {
    Path file = resource("csv/invalid_utf8.csv");
    assertBadLine(file, 3, "invalid UTF-8: byte 0xC3 at byte 1", () -> DatasetReader.read(file));
  }

  @Test
  void skipBadLinesResumesAfterAMalformedRecord() throws Exception {
    // Line 3 opens a quote that is never closed, swallowing line 4: one skipped record.
    Dataset dataset = DatasetReader.read(resource("csv/unterminated.csv"), null,
        ReadOptions.DEFAULTS.withSkipBadLines(true));
    assertEquals(List.of("fine"), dataset.examples().stream().map(Example::text).toList());
    assertEquals(1, dataset.summary().skippedLines());
  }
}
