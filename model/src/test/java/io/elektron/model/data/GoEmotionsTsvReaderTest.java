package io.elektron.model.data;

import static io.elektron.model.data.TestDataFiles.LABELS;
import static io.elektron.model.data.TestDataFiles.assertBadLine;
import static io.elektron.model.data.TestDataFiles.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GoEmotionsTsvReaderTest {

  @Test
  void readsTextLabelIdsAndIdsWithLabelsFileBesideIt() throws Exception {
    Path file = resource("tsv/good.tsv");
    Dataset dataset = DatasetReader.read(file);
    assertEquals(LABELS, dataset.labelNames());
    assertEquals(4, dataset.size());
    Example first = dataset.examples().get(0);
    assertEquals("I love this!", first.text());
    assertEquals("id1", first.id());
    assertNull(first.textPair());
    assertArrayEquals(new boolean[] {true, false, false, false}, first.labels());
    // Quotes and commas are plain characters in this format.
    Example second = dataset.examples().get(1);
    assertEquals("\"Quoted\" text, with a comma", second.text());
    assertArrayEquals(new int[] {0, 3}, second.labelIds());
    // Empty text is kept.
    assertEquals("", dataset.examples().get(2).text());
    assertArrayEquals(new float[] {0f, 1f, 1f, 0f}, dataset.examples().get(3).targets());
    assertEquals(1, dataset.summary().blankLines());
    assertEquals(0, dataset.summary().skippedLines());
    assertEquals(List.of(), dataset.summary().warnings());
    assertEquals(DatasetFormat.GOEMOTIONS_TSV, dataset.summary().format());
  }

  @Test
  void crlfLineEndings() throws Exception {
    Dataset dataset = DatasetReader.read(resource("tsv/crlf.tsv"), LABELS, ReadOptions.DEFAULTS);
    assertEquals("first", dataset.examples().get(0).text());
    assertEquals("c2", dataset.examples().get(1).id());
  }

  @Test
  void wrongColumnCount() {
    Path file = resource("tsv/wrong_columns.tsv");
    assertBadLine(file, 2, "expected 3 tab-separated columns",
        () -> DatasetReader.read(file, LABELS, ReadOptions.DEFAULTS));
  }

  @Test
  void labelIdNotAnInteger() {
    Path file = resource("tsv/bad_label_id.tsv");
    assertBadLine(file, 3, "label id 'x'",
        () -> DatasetReader.read(file, LABELS, ReadOptions.DEFAULTS));
  }

  @Test
  void labelIdOutOfRange() {
    Path file = resource("tsv/label_out_of_range.tsv");
    assertBadLine(file, 2, "label id 4 is out of range: there are 4 labels (ids 0..3)",
        () -> DatasetReader.read(file, LABELS, ReadOptions.DEFAULTS));
  }

  @Test
  void invalidUtf8() {
    Path file = resource("tsv/invalid_utf8.tsv");
    assertBadLine(file, 2, "invalid UTF-8: byte 0xFF at byte 5",
        () -> DatasetReader.read(file, LABELS, ReadOptions.DEFAULTS));
  }

  @Test
  void duplicateIdsAreAWarningCount() throws Exception {
    Dataset dataset =
        DatasetReader.read(resource("tsv/duplicate_ids.tsv"), LABELS, ReadOptions.DEFAULTS);
    assertEquals(4, dataset.size());
    // 'same' on lines 1, 3, 4: two repeats.
    assertEquals(2, dataset.summary().duplicateIds());
    assertEquals("id 'same' on line 3 was first seen on line 1",
        dataset.summary().firstDuplicateId());
    assertTrue(dataset.summary().warnings().get(0).contains("2 examples reuse an earlier id"));
  }

  @Test
  void skipBadLinesKeepsTheGoodOnesAndReportsTheRest() throws Exception {
    Path file = resource("tsv/mixed_bad.tsv");
    Dataset dataset =
        DatasetReader.read(file, LABELS, ReadOptions.DEFAULTS.withSkipBadLines(true));
    assertEquals(List.of("good one", "good two", "good three"),
        dataset.examples().stream().map(Example::text).toList());
    // "good three" has an empty label column: labeled, no positive label.
    assertArrayEquals(new int[0], dataset.examples().get(2).labelIds());
    assertTrue(dataset.examples().get(2).hasLabels());
    ReadSummary summary = dataset.summary();
    assertEquals(2, summary.skippedLines());
    assertEquals(1, summary.blankLines());
    assertTrue(summary.skippedLineProblems().get(0).contains("mixed_bad.tsv, line 2:"));
    assertTrue(summary.skippedLineProblems().get(1).contains("mixed_bad.tsv, line 4:"));
    assertTrue(summary.warnings().get(0).contains("skipped 2 malformed lines"));
    // Without the option the first bad line fails.
    assertBadLine(file, 2, "expected 3 tab-separated columns",
        () -> DatasetReader.read(file, LABELS, ReadOptions.DEFAULTS));
  }

  @Test
  void missingLabelsFileIsExplained() {
    Path file = resource("tsv-without-labels/train.tsv");
    assertBadLine(file, 0, "labels.txt", () -> DatasetReader.read(file));
  }
}
