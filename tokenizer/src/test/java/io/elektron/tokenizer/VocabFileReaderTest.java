package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Line splitting follows Python's text mode, as HF's {@code load_vocab} reads vocab.txt. */
class VocabFileReaderTest {
  @Test
  void universalNewlines() {
    assertEquals(List.of("a", "b", "c", "d"), VocabFileReader.splitLines("a\nb\r\nc\rd"));
    assertEquals(List.of("a", "b"), VocabFileReader.splitLines("a\nb\n"));
    assertEquals(List.of("a", "", "b"), VocabFileReader.splitLines("a\n\nb"));
    assertEquals(List.of(), VocabFileReader.splitLines(""));
  }

  @Test
  void onlyTheTerminatorIsRemoved() {
    // HF strips "\n" only: other whitespace is part of the token, as is a byte-order mark.
    assertEquals(List.of("a ", "\tb", "\uFEFFc"), VocabFileReader.splitLines("a \n\tb\n\uFEFFc\n"));
  }
}
