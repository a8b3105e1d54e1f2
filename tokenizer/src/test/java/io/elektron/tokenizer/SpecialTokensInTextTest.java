package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Special tokens are recognised anywhere in the original text (HF {@code from_pretrained} and fast
 * tokenizers), case-sensitively even when lower-casing is on.
 */
class SpecialTokensInTextTest {
  private static final WordPieceTokenizer UNCASED =
      WordPieceTokenizer.fromVocab(TestResources.uncasedVocab());

  @Test
  void specialTokenInsideAWordSplitsIt() {
    assertEquals(List.of("x", "[MASK]", "y"), UNCASED.tokenize("x[MASK]y"));
    assertEquals(List.of("hello", "[MASK]", "world"), UNCASED.tokenize("hello[MASK]world"));
    assertEquals(List.of("[CLS]", "[SEP]"), UNCASED.tokenize("[CLS][SEP]"));
    assertArrayEquals(new int[] {101, 1060, 103, 1061, 102}, UNCASED.encode("x[MASK]y").inputIds());
  }

  @Test
  void matchingIsOnTheOriginalTextNotTheLowerCasedOne() {
    // [mask] is lower-cased text, not the special token: '[' 'mask' ']' like HF.
    assertEquals(List.of("[", "mask", "]"), UNCASED.tokenize("[mask]"));
    assertEquals(List.of("[", "mask", "]"), UNCASED.tokenize("[Mask]"));
    assertEquals(List.of("a", "[MASK]", "b"), UNCASED.tokenize("A[MASK]B"));
    // Broken-up specials are ordinary punctuation and words.
    assertEquals(List.of("[", "mask"), UNCASED.tokenize("[MASK"));
  }

  @Test
  void specialTokensWrittenInTextKeepTheirSpan() {
    Encoding encoding = UNCASED.encode("x[MASK]y");
    assertArrayEquals(new int[] {0, 0}, encoding.offsets()[0]); // added [CLS]
    assertArrayEquals(new int[] {0, 1}, encoding.offsets()[1]);
    assertArrayEquals(new int[] {1, 7}, encoding.offsets()[2]);
    assertArrayEquals(new int[] {7, 8}, encoding.offsets()[3]);
    assertArrayEquals(new int[] {0, 0}, encoding.offsets()[4]); // added [SEP]
  }

  @Test
  void additionalSpecialTokensAreMatchedLongestFirst() {
    TokenizerOptions options =
        TokenizerOptions.uncased()
            .withSpecialTokens(SpecialTokens.bert().withAdditional(List.of("[MASK]X", "<emo>")));
    WordPieceTokenizer tokenizer =
        WordPieceTokenizer.fromVocab(TestResources.uncasedVocab(), options);
    // "[MASK]X" is longer than "[MASK]" so it wins; not in the vocabulary -> [UNK] like HF.
    assertArrayEquals(
        new int[] {101, 1037, 100, 1061, 102}, tokenizer.encode("a[MASK]Xy").inputIds());
    assertEquals(List.of("hi", "[UNK]", "there"), tokenizer.tokenize("hi<emo>there"));
    assertEquals(true, tokenizer.isSpecialId(tokenizer.maskId()));
  }

  @Test
  void whitespaceAroundSpecialsDoesNotMatter() {
    assertEquals(UNCASED.tokenize("a [SEP] b"), UNCASED.tokenize("a[SEP]b"));
    assertEquals(UNCASED.tokenize("a\t[SEP]\n b"), UNCASED.tokenize("a[SEP]b"));
  }
}
