package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Ids back to text as HF's slow BERT tokenizer decodes them. */
class DecodeTest {
  private static final WordPieceTokenizer UNCASED =
      WordPieceTokenizer.fromVocab(TestResources.uncasedVocab());

  private static String roundTrip(String text) {
    return UNCASED.decode(UNCASED.encode(text).inputIds());
  }

  @Test
  void joinsWordPiecesAndCleansUpSpaces() {
    assertEquals("hello, world!", roundTrip("Hello, World!"));
    assertEquals("unaffable", roundTrip("unaffable"));
    assertEquals(
        "don't do it. i'm sure you're right?", roundTrip("Don't do it. I'm sure you're right?"));
    assertEquals("cafe creme", roundTrip("Café Crème"));
  }

  @Test
  void specialTokensAndCleanUpAreOptional() {
    int[] ids = UNCASED.encode("Hello, World!").inputIds();
    assertEquals("[CLS] hello, world! [SEP]", UNCASED.decode(ids, false));
    assertEquals("hello , world !", UNCASED.decode(ids, true, false));
    // HF's skip_special_tokens drops [UNK] as well.
    assertEquals("a b", UNCASED.decode(UNCASED.encode("a 😀 b").inputIds(), true));
    assertEquals(
        "a [UNK] b",
        UNCASED
            .decode(UNCASED.encode("a 😀 b").inputIds(), false)
            .replace("[CLS] ", "")
            .replace(" [SEP]", ""));
  }

  @Test
  void unknownIdIsAnError() {
    assertThrows(IndexOutOfBoundsException.class, () -> UNCASED.decode(new int[] {30522}));
    assertThrows(IndexOutOfBoundsException.class, () -> UNCASED.decode(new int[] {-1}));
  }
}
