package io.elektron.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random text built from the characters that exercise every branch (ASCII, accents, combining
 * marks, CJK, kana, hangul, Greek sigma, dotted I, ligatures, emoji, control and format chars,
 * exotic spaces, special tokens, vocabulary words): the streaming tokenizer must give the same ids
 * as {@link ReferenceBertTokenizer}, and every token's offsets must point at text that normalises
 * to the token.
 */
class RandomTextParityTest {
  private static final String[] PIECES = {
    "a",
    "b",
    "e",
    "z",
    "A",
    "Q",
    "Z",
    "0",
    "7",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    ".",
    ",",
    "!",
    "?",
    "'",
    "\"",
    "-",
    "$",
    "^",
    "`",
    "~",
    "(",
    ")",
    "[",
    "]",
    "#",
    "##",
    "é",
    "É",
    "ü",
    "ñ",
    "À",
    "ø",
    "e\u0301",
    "\u0301",
    "\u0308",
    "中",
    "日",
    "本",
    "語",
    "の",
    "テ",
    "한",
    "국",
    "Σ",
    "σ",
    "ς",
    "Ω",
    "İ",
    "ı",
    "ß",
    "ﬁ",
    "😀",
    "👍🏽",
    "\uD83C\uDDFA\uD83C\uDDF8",
    "\u200b",
    "\u200d",
    "\u00ad",
    "\u0000",
    "\u0007",
    "\u007f",
    "\ufffd",
    "\u2028",
    "\u3000",
    "\u00a0",
    "\u2009",
    "“",
    "”",
    "‘",
    "’",
    "–",
    "—",
    "…",
    "¿",
    "¡",
    "«",
    "»",
    "\u1fef",
    "\u037e",
    "豈",
    "[MASK]",
    "[CLS]",
    "[SEP]",
    "[PAD]",
    "[UNK]",
    "[mask]",
    "[MASK",
    "MASK]",
    "hello",
    "world",
    "unaffable",
    "running",
    "café",
    "Straße",
    "ΟΔΟΣ",
    "İstanbul",
    "x[MASK]y",
    "don't",
    "1,000.5",
    "\uD800",
    "\uDC00",
  };

  @Test
  void uncasedVocabLowercased() throws Exception {
    check(TestResources.uncasedVocab(), true, 1);
  }

  @Test
  void uncasedVocabCased() throws Exception {
    check(TestResources.uncasedVocab(), false, 2);
  }

  @Test
  void chineseVocabLowercased() throws Exception {
    check(TestResources.chineseVocab(), true, 3);
  }

  @Test
  void tinyVocabLowercased() throws Exception {
    check(TestResources.tinyVocab(), true, 4);
  }

  private static void check(Path vocabFile, boolean lowercase, long seed) throws Exception {
    List<String> lines = Files.readAllLines(vocabFile);
    WordPieceTokenizer tokenizer =
        WordPieceTokenizer.fromVocab(
            vocabFile, TokenizerOptions.uncased().withLowercase(lowercase));
    ReferenceBertTokenizer reference =
        new ReferenceBertTokenizer(lines, lowercase, lowercase, SpecialTokens.bert().all());
    Random random = new Random(seed);
    for (int round = 0; round < 3000; round++) {
      String text = randomText(random, lines);
      Encoding encoding = tokenizer.encode(text);
      int[] content = Arrays.copyOfRange(encoding.inputIds(), 1, encoding.length() - 1);
      List<Integer> expected = reference.tokenize(text);
      assertEquals(expected, box(content), () -> "ids differ for " + escape(text));
      checkOffsets(tokenizer, text, encoding, lowercase);
    }
  }

  private static void checkOffsets(
      WordPieceTokenizer tokenizer, String text, Encoding encoding, boolean lowercase) {
    for (int i = 1; i < encoding.length() - 1; i++) {
      int[] span = encoding.offsets()[i];
      assertTrue(
          span[0] < span[1] && span[1] <= text.length(), () -> "bad span in " + escape(text));
      String token = encoding.tokens()[i];
      int id = encoding.inputIds()[i];
      if (id == tokenizer.unknownId() || tokenizer.isSpecialId(id)) {
        continue;
      }
      String piece = token.startsWith("##") ? token.substring(2) : token;
      String source = normalise(text.substring(span[0], span[1]), lowercase);
      int position = i;
      assertTrue(
          source.contains(piece),
          () ->
              "token "
                  + position
                  + " '"
                  + piece
                  + "' spans '"
                  + escape(source)
                  + "' in "
                  + escape(text));
    }
  }

  /** What the original characters become: cleaned, lower-cased and accent-stripped. */
  private static String normalise(String original, boolean lowercase) {
    StringBuilder out = new StringBuilder();
    original
        .codePoints()
        .forEach(
            cp -> {
              if (!BertCharacters.isRemovedByCleaning(cp)) {
                out.append(
                    lowercase
                        ? new String(Character.toChars(cp)).toLowerCase(Locale.ROOT)
                        : new String(Character.toChars(cp)));
              }
            });
    if (!lowercase) {
      return out.toString();
    }
    StringBuilder kept = new StringBuilder();
    Normalizer.normalize(out, Normalizer.Form.NFD)
        .codePoints()
        .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
        .forEach(kept::appendCodePoint);
    return kept.toString();
  }

  private static String randomText(Random random, List<String> vocab) {
    StringBuilder text = new StringBuilder();
    int pieces = random.nextInt(25);
    for (int p = 0; p < pieces; p++) {
      if (random.nextInt(4) == 0) {
        String word = vocab.get(random.nextInt(vocab.size()));
        text.append(word.startsWith("##") ? word.substring(2) : word);
      } else {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
    }
    if (random.nextInt(50) == 0) {
      text.append("x".repeat(95 + random.nextInt(10)));
    }
    return text.toString();
  }

  private static List<Integer> box(int[] values) {
    List<Integer> list = new ArrayList<>(values.length);
    for (int v : values) {
      list.add(v);
    }
    return list;
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars()
        .forEach(
            c -> {
              if (c < 32 || c > 126) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }
}
