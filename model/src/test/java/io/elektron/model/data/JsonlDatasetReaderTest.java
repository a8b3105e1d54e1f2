package io.elektron.model.data;

import static io.elektron.model.data.TestDataFiles.LABELS;
import static io.elektron.model.data.TestDataFiles.assertBadLine;
import static io.elektron.model.data.TestDataFiles.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonlDatasetReaderTest {

  @Test
  void namesDefineASortedLabelSetWhenNoneIsGiven() throws Exception {
    Dataset dataset = DatasetReader.read(resource("jsonl/good.jsonl"));
    // Names used: joy, fear, anger -> sorted.
    assertEquals(List.of("anger", "fear", "joy"), dataset.labelNames());
    assertEquals(5, dataset.size());
    assertEquals(1, dataset.summary().blankLines());
    List<Example> examples = dataset.examples();
    assertEquals("j1", examples.get(0).id());
    assertArrayEquals(new boolean[] {false, false, true}, examples.get(0).labels());
    // A numeric id becomes its decimal text.
    assertEquals("2", examples.get(1).id());
    assertArrayEquals(new boolean[] {true, true, false}, examples.get(1).labels());
    assertEquals("hypothesis", examples.get(2).textPair());
    // "labels": [] is labeled with no positive; an absent "labels" is unlabeled.
    assertArrayEquals(new boolean[] {false, false, false}, examples.get(2).labels());
    assertEquals("", examples.get(3).text());
    assertNull(examples.get(4).labels());
    assertFalse(dataset.isFullyLabeled());
  }

  @Test
  void givenNamesAndIds() throws Exception {
    Dataset byName = DatasetReader.read(resource("jsonl/good.jsonl"), LABELS,
        ReadOptions.DEFAULTS);
    assertArrayEquals(new boolean[] {false, true, true, false},
        byName.examples().get(1).labels());
    Dataset byId = DatasetReader.read(resource("jsonl/ids.jsonl"), LABELS, ReadOptions.DEFAULTS);
    assertArrayEquals(new int[] {0, 2}, byId.examples().get(0).labelIds());
    assertArrayEquals(new int[] {1}, byId.examples().get(1).labelIds());
  }

  @Test
  void idsWithoutNamesAreExplained() {
    Path file = resource("jsonl/ids.jsonl");
    assertBadLine(file, 1, "label ids, which need label names", () -> DatasetReader.read(file));
  }

  @Test
  void preTokenizedLines() throws Exception {
    Dataset dataset =
        DatasetReader.read(resource("jsonl/pretokenized.jsonl"), LABELS, ReadOptions.DEFAULTS);
    Example first = dataset.examples().get(0);
    assertTrue(first.isPreTokenized());
    assertNull(first.text());
    assertArrayEquals(new int[] {101, 7592, 102}, first.inputIds());
    assertArrayEquals(new int[] {1, 1, 1}, first.attentionMask());
    assertArrayEquals(new int[] {0, 0, 0}, first.tokenTypeIds());
    assertArrayEquals(new int[] {1}, first.labelIds());
    Example second = dataset.examples().get(1);
    assertArrayEquals(new int[] {101, 102}, second.inputIds());
    assertNull(second.attentionMask());
    assertNull(second.labels());
  }

  @Test
  void invalidJson() {
    Path file = resource("jsonl/invalid_json.jsonl");
    assertBadLine(file, 2, "invalid JSON at column", () -> DatasetReader.read(file));
  }

  @Test
  void unknownLabelName() {
    Path file = resource("jsonl/unknown_label.jsonl");
    assertBadLine(file, 3, "unknown label name 'sadness'",
        () -> DatasetReader.read(file, LABELS, ReadOptions.DEFAULTS));
  }

  @Test
  void labelIdOutOfRange() {
    Path file = resource("jsonl/id_out_of_range.jsonl");
    assertBadLine(file, 1, "label id 3 is out of range: there are 3 labels",
        () -> DatasetReader.read(file, List.of("a", "b", "c"), ReadOptions.DEFAULTS));
  }

  @Test
  void mixedNamesAndIds() {
    Path file = resource("jsonl/mixed_labels.jsonl");
    assertBadLine(file, 1, "mixes names and ids",
        () -> DatasetReader.read(file, LABELS, ReadOptions.DEFAULTS));
  }

  @Test
  void attentionMaskLengthMustMatch() {
    Path file = resource("jsonl/mask_length.jsonl");
    assertBadLine(file, 1, "\"attention_mask\" has 1 entries but \"input_ids\" has 2",
        () -> DatasetReader.read(file));
  }

  @Test
  void lineMustBeAnObjectWithTextOrIds() {
    Path notObject = resource("jsonl/not_object.jsonl");
    assertBadLine(notObject, 2, "expected a JSON object", () -> DatasetReader.read(notObject));
    Path missingText = resource("jsonl/missing_text.jsonl");
    assertBadLine(missingText, 1, "expected \"text\" (a string) or \"input_ids\"",
        () -> DatasetReader.read(missingText));
  }

  @Test
  void duplicateKeysAreRejected() {
    Path file = resource("jsonl/duplicate_key.jsonl");
    assertBadLine(file, 1, "Duplicate field 'text'", () -> DatasetReader.read(file));
  }

  @Test
  void invalidUtf8() {
    // "\xe2\x82" is a truncated 3-byte sequence starting at byte 11 (1-based) of the line.
    Path file = resource("jsonl/invalid_utf8.jsonl");
    assertBadLine(file, 3, "invalid UTF-8: byte 0xE2 at byte 11", () -> DatasetReader.read(file));
  }

  @Test
  void skipBadLines() throws Exception {
    Dataset dataset = DatasetReader.read(resource("jsonl/unknown_label.jsonl"), LABELS,
        ReadOptions.DEFAULTS.withSkipBadLines(true));
    assertEquals(2, dataset.size());
    assertEquals(1, dataset.summary().skippedLines());
    assertTrue(dataset.summary().skippedLineProblems().get(0)
        .contains("unknown_label.jsonl, line 3: unknown label name 'sadness'"));
  }
}
