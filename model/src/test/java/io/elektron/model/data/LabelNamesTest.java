package io.elektron.model.data;

import static io.elektron.model.data.TestDataFiles.assertBadLine;
import static io.elektron.model.data.TestDataFiles.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelNamesTest {

  @Test
  void readsOneNamePerLine() throws Exception {
    assertEquals(TestDataFiles.LABELS, LabelNames.read(resource("tsv/labels.txt")));
    // CRLF and trailing blank lines are fine.
    assertEquals(List.of("joy", "anger"), LabelNames.read(resource("labels/trailing_blank.txt")));
  }

  @Test
  void duplicateName() {
    Path file = resource("labels/duplicate.txt");
    assertBadLine(file, 3, "duplicate label name 'joy' (also on line 1)",
        () -> LabelNames.read(file));
  }

  @Test
  void blankLineInsideShiftsIdsSoItIsAnError() {
    Path file = resource("labels/blank_inside.txt");
    assertBadLine(file, 2, "blank line between label names", () -> LabelNames.read(file));
  }

  @Test
  void indexByName() {
    assertEquals(1, LabelNames.indexByName(List.of("a", "b")).get("b"));
    assertThrows(IllegalArgumentException.class, () -> LabelNames.indexByName(List.of("a", "a")));
  }
}
