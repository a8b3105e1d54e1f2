package io.elektron.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Ids back to text, as HF's slow {@code BertTokenizer.decode}: tokens are joined with spaces and
 * {@code " ##"} is removed (so {@code una ##ffa ##ble} gives {@code unaffable}); added tokens
 * beyond the vocabulary are kept as separate pieces; with clean-up (HF's default for BERT in 4.30)
 * spaces before {@code . ? ! ,} and English contractions are removed.
 *
 * <p>Decoding is lossy by nature: lower-casing, stripped accents, and spaces around punctuation
 * cannot be restored ({@code "Hello, World!"} decodes to {@code "hello, world!"}).
 */
final class WordPieceDecoder {
  private final Vocabulary vocabulary;
  private final boolean[] special;
  private final String continuationWithSpace;

  WordPieceDecoder(Vocabulary vocabulary, boolean[] specialIds) {
    this.vocabulary = vocabulary;
    this.special = specialIds;
    this.continuationWithSpace = " " + vocabulary.continuingSubwordPrefix();
  }

  String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
    List<String> pieces = new ArrayList<>();
    List<String> run = new ArrayList<>();
    for (int id : ids) {
      String token = vocabulary.token(id);
      if (skipSpecialTokens && special[id]) {
        continue;
      }
      if (vocabulary.isAddedToken(id)) {
        if (!run.isEmpty()) {
          pieces.add(joinWordPieces(run));
          run.clear();
        }
        pieces.add(token);
      } else {
        run.add(token);
      }
    }
    if (!run.isEmpty()) {
      pieces.add(joinWordPieces(run));
    }
    String text = String.join(" ", pieces);
    return cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
  }

  private String joinWordPieces(List<String> tokens) {
    return String.join(" ", tokens).replace(continuationWithSpace, "").strip();
  }

  /** HF's {@code clean_up_tokenization}: undo the spaces WordPiece put around punctuation. */
  static String cleanUpTokenization(String text) {
    return text.replace(" .", ".")
        .replace(" ?", "?")
        .replace(" !", "!")
        .replace(" ,", ",")
        .replace(" ' ", "'")
        .replace(" n't", "n't")
        .replace(" 'm", "'m")
        .replace(" 's", "'s")
        .replace(" 've", "'ve")
        .replace(" 're", "'re");
  }
}
