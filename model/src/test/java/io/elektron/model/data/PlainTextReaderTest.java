package io.elektron.model.data;

import static io.elektron.model.data.TestDataFiles.assertBadLine;
import static io.elektron.model.data.TestDataFiles.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainTextReaderTest {

  @Test
  void oneTextPerLineEmptyLinesKept() throws Exception {
    Dataset dataset = DatasetReader.read(resource("txt/predict.txt"));
    assertEquals(List.of("first text", "", "third text"),
        dataset.examples().stream().map(Example::text).toList());
    assertNull(dataset.examples().get(0).labels());
    assertNull(dataset.examples().get(0).id());
    assertEquals(List.of(), dataset.labelNames());
  }

  @Test
  void labelNamesArePassedThrough() throws Exception {
    Dataset dataset = DatasetReader.read(resource("txt/predict.txt"), TestDataFiles.LABELS,
        ReadOptions.DEFAULTS);
    assertEquals(TestDataFiles.LABELS, dataset.labelNames());
  }

  @Test
  void invalidUtf8() {
    Path file = resource("txt/invalid_utf8.txt");
    assertBadLine(file, 2, "invalid UTF-8: byte 0x80 at byte 1", () -> DatasetReader.read(file));
  }
}
