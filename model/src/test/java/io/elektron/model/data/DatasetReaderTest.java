package io.elektron.model.data;

import static io.elektron.model.data.TestDataFiles.LABELS;
import static io.elektron.model.data.TestDataFiles.assertBadLine;
import static io.elektron.model.data.TestDataFiles.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetReaderTest {

  @Test
  void formatFromExtension() throws Exception {
    assertEquals(DatasetFormat.GOEMOTIONS_TSV, DatasetFormat.fromPath(Path.of("a/train.TSV")));
    assertEquals(DatasetFormat.CSV, DatasetFormat.fromPath(Path.of("x.csv")));
    assertEquals(DatasetFormat.JSONL, DatasetFormat.fromPath(Path.of("x.jsonl")));
    assertEquals(DatasetFormat.JSONL, DatasetFormat.fromPath(Path.of("x.ndjson")));
    assertEquals(DatasetFormat.TEXT, DatasetFormat.fromPath(Path.of("x.txt")));
  }

  @Test
  void unknownExtension() {
    Path file = resource("other/dataset.json");
    assertBadLine(file, 0, "expected an extension .tsv", () -> DatasetReader.read(file));
  }

  @Test
  void forcedFormatOverridesTheExtension() throws Exception {
    // A JSON-lines file (one object per line) under a .json name.
    Path file = resource("other/lines.json");
    Dataset dataset =
        DatasetReader.read(file, null, ReadOptions.DEFAULTS.withFormat(DatasetFormat.JSONL));
    assertEquals(2, dataset.size());
    assertEquals(DatasetFormat.JSONL, dataset.summary().format());
  }

  @Test
  void missingFile() {
    assertThrows(NoSuchFileException.class,
        () -> DatasetReader.read(Path.of("does/not/exist.tsv")));
  }

  @Test
  void duplicateGivenLabelNamesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> DatasetReader.read(
        resource("tsv/good.tsv"), List.of("joy", "joy", "fear", "neutral"),
        ReadOptions.DEFAULTS));
  }

  @Test
  void labelsNeverSeenInTrain() throws Exception {
    // good.tsv positives: joy (lines 1, 2), anger (4), fear (4), neutral (2, 3): all seen.
    Dataset good = DatasetReader.read(resource("tsv/good.tsv"));
    assertEquals(List.of(), good.labelsNeverSeen());
    assertArrayEquals(new long[] {2, 1, 1, 2}, good.positivesPerLabel());
    // crlf.tsv positives: joy (line 1), anger (line 2): fear and neutral never seen.
    Dataset crlf = DatasetReader.read(resource("tsv/crlf.tsv"), LABELS, ReadOptions.DEFAULTS);
    assertEquals(List.of("fear", "neutral"), crlf.labelsNeverSeen());
    assertEquals(List.of("fear", "neutral"),
        LabelStatistics.labelsNeverSeen(crlf.examples(), LABELS));
  }

  @Test
  void matricesForTraining() throws Exception {
    Dataset dataset = DatasetReader.read(resource("tsv/crlf.tsv"), LABELS, ReadOptions.DEFAULTS);
    assertArrayEquals(new boolean[][] {{true, false, false, false}, {false, true, false, false}},
        dataset.labelMatrix());
    assertArrayEquals(new float[][] {{1f, 0f, 0f, 0f}, {0f, 1f, 0f, 0f}},
        dataset.targetMatrix());
  }

  @Test
  void unlabeledDatasetHasNoMatrices() throws Exception {
    Dataset dataset = DatasetReader.read(resource("txt/predict.txt"));
    assertThrows(IllegalStateException.class, dataset::labelMatrix);
  }
}
