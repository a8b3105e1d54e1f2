package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text pairs, HF's truncation strategies and batch padding. */
class PairsTruncationPaddingTest {
  private static final WordPieceTokenizer UNCASED =
      WordPieceTokenizer.fromVocab(TestResources.uncasedVocab());
  // Ten one-token words each.
  private static final String TEN_A = "a b c d e f g h i j";
  private static final String TEN_B = "k l m n o p q r s t";

  private static List<String> tokens(Encoding encoding) {
    return Arrays.asList(encoding.tokens());
  }

  @Test
  void pairLayoutAndTypeIds() {
    Encoding encoding = UNCASED.encodePair("How are you?", "Fine.");
    assertEquals(
        List.of("[CLS]", "how", "are", "you", "?", "[SEP]", "fine", ".", "[SEP]"),
        tokens(encoding));
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1}, encoding.tokenTypeIds());
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, encoding.attentionMask());
  }

  @Test
  void longestFirstTakesFromTheLongerAndFromTheSecondOnATie() {
    // 10 + 10 + 3 = 23 -> 12: remove 11; ties go to the second, so the first keeps 5, the second 4.
    Encoding tie = UNCASED.encodePair(TEN_A, TEN_B, EncodeOptions.truncatedTo(12));
    assertEquals(
        List.of("[CLS]", "a", "b", "c", "d", "e", "[SEP]", "k", "l", "m", "n", "[SEP]"),
        tokens(tie));
    // 10 + 3 + 3 = 16 -> 10: all six come off the longer first text.
    Encoding uneven = UNCASED.encodePair(TEN_A, "x y z", EncodeOptions.truncatedTo(10));
    assertEquals(
        List.of("[CLS]", "a", "b", "c", "d", "[SEP]", "x", "y", "z", "[SEP]"), tokens(uneven));
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, uneven.tokenTypeIds());
  }

  @Test
  void onlySecondAndOnlyFirst() {
    Encoding onlySecond =
        UNCASED.encodePair(
            TEN_A,
            TEN_B,
            EncodeOptions.defaults().withTruncation(TruncationStrategy.ONLY_SECOND, 16));
    assertEquals(16, onlySecond.length());
    assertEquals(List.of("j", "[SEP]", "k", "l", "m", "[SEP]"), tokens(onlySecond).subList(10, 16));
    Encoding onlyFirst =
        UNCASED.encodePair(
            TEN_A,
            TEN_B,
            EncodeOptions.defaults().withTruncation(TruncationStrategy.ONLY_FIRST, 16));
    assertEquals(List.of("[CLS]", "a", "b", "c", "[SEP]", "k"), tokens(onlyFirst).subList(0, 6));
  }

  @Test
  void singleTextTruncationKeepsTheHead() {
    Encoding encoding = UNCASED.encode(TEN_A, EncodeOptions.truncatedTo(5));
    assertEquals(List.of("[CLS]", "a", "b", "c", "[SEP]"), tokens(encoding));
    // Short texts are untouched.
    assertEquals(4, UNCASED.encode("a b", EncodeOptions.truncatedTo(5)).length());
    // Without truncation max length does nothing.
    assertEquals(12, UNCASED.encode(TEN_A, EncodeOptions.defaults().withMaxLength(5)).length());
  }

  @Test
  void truncationSplitsWordPiecesLikeHf() {
    // HF truncates tokens, not words: "unaffable" = una ##ffa ##ble can lose its tail.
    Encoding encoding = UNCASED.encode("unaffable", EncodeOptions.truncatedTo(3));
    assertEquals(List.of("[CLS]", "una", "[SEP]"), tokens(encoding));
  }

  @Test
  void batchPaddingToLongestAndToMaxLength() {
    List<String> texts = List.of("hello", "hello world again", "");
    BatchEncoding longest =
        UNCASED.encodeBatch(texts, EncodeOptions.defaults().withPadding(PaddingStrategy.LONGEST));
    assertEquals(3, longest.size());
    for (Encoding encoding : longest.encodings()) {
      assertEquals(5, encoding.length());
    }
    assertArrayEquals(new int[] {101, 7592, 102, 0, 0}, longest.inputIds()[0]);
    assertArrayEquals(new int[] {1, 1, 1, 0, 0}, longest.attentionMask()[0]);
    assertArrayEquals(new int[] {101, 102, 0, 0, 0}, longest.inputIds()[2]);
    assertEquals("[PAD]", longest.get(2).tokens()[4]);

    BatchEncoding fixed =
        UNCASED.encodeBatch(
            texts, EncodeOptions.truncatedTo(4).withPadding(PaddingStrategy.MAX_LENGTH));
    assertArrayEquals(new int[] {101, 7592, 2088, 102}, fixed.inputIds()[1]);
    assertArrayEquals(new int[] {101, 102, 0, 0}, fixed.inputIds()[2]);
    assertArrayEquals(new int[] {1, 1, 0, 0}, fixed.attentionMask()[2]);

    BatchEncoding none = UNCASED.encodeBatch(texts, EncodeOptions.defaults());
    assertEquals(3, none.inputIds()[0].length);
    assertEquals(5, none.inputIds()[1].length);
  }

  @Test
  void pairPaddingKeepsTypeIdsZeroOnPads() {
    BatchEncoding batch =
        UNCASED.encodePairBatch(
            List.of("a", "a b c"),
            List.of("b", "d"),
            EncodeOptions.defaults().withPadding(PaddingStrategy.LONGEST));
    assertArrayEquals(new int[] {0, 0, 0, 1, 1, 0, 0}, batch.tokenTypeIds()[0]);
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1}, batch.tokenTypeIds()[1]);
  }

  @Test
  void withoutSpecialTokens() {
    Encoding encoding =
        UNCASED.encode("hello world", EncodeOptions.defaults().withSpecialTokens(false));
    assertArrayEquals(new int[] {7592, 2088}, encoding.inputIds());
    Encoding pair = UNCASED.encodePair("a", "b", EncodeOptions.defaults().withSpecialTokens(false));
    assertArrayEquals(new int[] {0, 1}, pair.tokenTypeIds());
  }

  @Test
  void modelMaxLengthIsTheDefaultLimit() {
    WordPieceTokenizer limited =
        WordPieceTokenizer.fromVocab(
            TestResources.uncasedVocab(), TokenizerOptions.uncased().withModelMaxLength(6));
    Encoding encoding = limited.encode(TEN_A, EncodeOptions.truncatedTo(0));
    assertEquals(6, encoding.length());
  }
}
