package io.elektron.tokenizer;

/**
 * WordPiece's greedy longest-match-first split of one word, as HF's {@code WordpieceTokenizer}:
 * take the longest vocabulary entry that starts the word, then the longest {@code ##}-entry that
 * starts the rest, and so on; if some rest has no matching entry, or the word is longer than {@code
 * max_input_chars_per_word} code points, the whole word becomes the unknown token.
 *
 * <p>Lookups go through {@link CharRangeIndex} on the word's char buffer: one pass computes the
 * hash of every prefix, then candidates are probed longest first, so a word that is itself in the
 * vocabulary (most words) costs one hash pass and one probe, and nothing is allocated.
 */
final class WordPieceModel {
  private final CharRangeIndex wordStarts;
  private final CharRangeIndex continuations;
  private final int unknownId;
  private final int maxInputCharsPerWord;

  /** Id of each one-char ASCII word (the unknown id when absent): punctuation takes this path. */
  private final int[] asciiCharIds = new int[128];

  WordPieceModel(Vocabulary vocabulary, int unknownId, int maxInputCharsPerWord) {
    this.wordStarts = vocabulary.wordStartIndex();
    this.continuations = vocabulary.continuationIndex();
    this.unknownId = unknownId;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    char[] one = new char[1];
    for (int c = 0; c < 128; c++) {
      one[0] = (char) c;
      int id = wordStarts.get(one, 0, 1, CharRangeIndex.extend(0, (char) c));
      asciiCharIds[c] = id >= 0 ? id : unknownId;
    }
  }

  /** Id of the one-char word {@code c} (ASCII only), or the unknown id. */
  int asciiCharId(char c) {
    return asciiCharIds[c];
  }

  /**
   * Splits the word {@code word.chars[0, length)} and appends its pieces to {@code out}, each with
   * the original-text span from its first char's origin start to its last char's origin end.
   */
  void tokenizeWord(WordBuffer word, int length, TokenBuffer out) {
    char[] chars = word.chars;
    int[] originStarts = word.originStarts;
    int[] originEnds = word.originEnds;
    if (length > maxInputCharsPerWord
        && Character.codePointCount(chars, 0, length) > maxInputCharsPerWord) {
      out.add(unknownId, originStarts[0], originEnds[length - 1]);
      return;
    }
    int firstPiece = out.size;
    int start = 0;
    while (start < length) {
      CharRangeIndex index = start == 0 ? wordStarts : continuations;
      int limit = Math.min(length, start + index.maxKeyLength());
      int[] prefixHashes = word.prefixHashes(limit - start);
      int hash = 0;
      for (int k = start; k < limit; k++) {
        hash = CharRangeIndex.extend(hash, chars[k]);
        prefixHashes[k - start] = hash;
      }
      int end = limit;
      int id = -1;
      while (end > start) {
        id = index.get(chars, start, end, prefixHashes[end - start - 1]);
        if (id >= 0) {
          break;
        }
        end--;
      }
      if (id < 0) {
        out.truncate(firstPiece);
        out.add(unknownId, originStarts[0], originEnds[length - 1]);
        return;
      }
      out.add(id, originStarts[start], originEnds[end - 1]);
      start = end;
    }
  }
}
