package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Offsets are spans of the ORIGINAL string, whatever normalisation did to the characters. */
class OffsetsTest {
  private static final WordPieceTokenizer UNCASED =
      WordPieceTokenizer.fromVocab(TestResources.uncasedVocab());

  private static void assertTokens(Encoding encoding, String text, String... tokensAndSources) {
    assertEquals(tokensAndSources.length / 2, encoding.length() - 2, encoding::toString);
    for (int i = 0; i < tokensAndSources.length / 2; i++) {
      int[] span = encoding.offsets()[i + 1];
      assertEquals(tokensAndSources[2 * i], encoding.tokens()[i + 1], "token " + i);
      assertEquals(tokensAndSources[2 * i + 1], text.substring(span[0], span[1]), "source of " + i);
    }
  }

  @Test
  void accentsStrippedAndLowerCased() {
    String text = "Crème Brûlée à la mode";
    assertTokens(
        UNCASED.encode(text),
        text,
        "cr",
        "Cr",
        "##eme",
        "ème",
        "br",
        "Br",
        "##ule",
        "ûlé",
        "##e",
        "e",
        "a",
        "à",
        "la",
        "la",
        "mode",
        "mode");
  }

  @Test
  void strippedCombiningAccentIsDroppedFromTheEndOfASpan() {
    // As in the Rust normalizer, a deleted character keeps no alignment of its own: a stripped
    // mark at the end of a word falls outside the span, one inside it is covered.
    String text = "Cafe\u0301 Cafe\u0301s";
    assertTokens(UNCASED.encode(text), text, "cafe", "Cafe", "cafes", "Cafe\u0301s");
  }

  @Test
  void expandingLowerCaseMapsBothCharsToTheSource() {
    String text = "İstanbul";
    assertTokens(UNCASED.encode(text), text, "istanbul", "İstanbul");
  }

  @Test
  void deletedCharactersAreInsideTheSpan() {
    String text = "zero\u200bwidth";
    assertTokens(
        UNCASED.encode(text), text, "zero", "zero", "##wi", "wi", "##dt", "dt", "##h", "h");
    String controls = "a\u0000b";
    assertTokens(UNCASED.encode(controls), controls, "ab", "a\u0000b");
  }

  @Test
  void surrogatePairsAndUnknownWords() {
    String text = "Emoji 😀👍🏽 test";
    Encoding encoding = UNCASED.encode(text);
    assertTokens(
        encoding, text, "em", "Em", "##oj", "oj", "##i", "i", "[UNK]", "😀👍🏽", "test", "test");
  }

  @Test
  void ligatureAndCjk() {
    String text = "ﬁne中文";
    assertTokens(UNCASED.encode(text), text, "ﬁ", "ﬁ", "##ne", "ne", "中", "中", "文", "文");
  }

  @Test
  void addedSpecialsAndPaddingAreZero() {
    Encoding encoding =
        UNCASED.encode(
            "hi",
            EncodeOptions.defaults().withPadding(PaddingStrategy.MAX_LENGTH).withMaxLength(5));
    assertArrayEquals(new int[] {0, 0}, encoding.offsets()[0]);
    assertArrayEquals(new int[] {0, 2}, encoding.offsets()[1]);
    for (int i = 2; i < 5; i++) {
      assertArrayEquals(new int[] {0, 0}, encoding.offsets()[i]);
    }
  }

  @Test
  void secondTextOfAPairIndexesIntoTheSecondText() {
    Encoding encoding = UNCASED.encodePair("Hello there", "Café time");
    // [CLS] hello there [SEP] cafe time [SEP]
    assertArrayEquals(new int[] {6, 11}, encoding.offsets()[2]);
    assertArrayEquals(new int[] {0, 4}, encoding.offsets()[4]);
    assertArrayEquals(new int[] {5, 9}, encoding.offsets()[5]);
  }
}
