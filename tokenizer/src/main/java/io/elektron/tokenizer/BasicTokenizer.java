package io.elektron.tokenizer;

/**
 * BERT's basic tokenization, streamed: one pass over the original text cleans it, isolates CJK
 * ideographs, lower-cases and strips accents, splits on whitespace and punctuation, and hands each
 * finished word straight to {@link WordPieceModel}. No intermediate strings or lists.
 *
 * <p>The order of HF's {@code BasicTokenizer} is kept where it matters: cleaning deletes characters
 * without splitting (so {@code "a\u200Bb"} is one word), CJK detection looks at the original
 * character, and punctuation is tested on the folded characters (the split runs after lower-casing
 * and accent stripping in HF).
 *
 * <p>ASCII takes a fast path: one table lookup classifies the char, letters are lower-cased
 * arithmetically, and one-char punctuation words skip the hash lookup.
 */
final class BasicTokenizer {
  private final WordPieceModel wordPiece;
  private final CharacterFolding folding;
  private final boolean lowercaseAscii;
  private final boolean cleanText;
  private final boolean tokenizeChineseChars;

  BasicTokenizer(WordPieceModel wordPiece, TokenizerOptions options) {
    this.wordPiece = wordPiece;
    this.folding = CharacterFolding.of(options.lowercase(), options.stripsAccents());
    this.lowercaseAscii = folding.lowercasesAscii();
    this.cleanText = options.cleanText();
    this.tokenizeChineseChars = options.tokenizeChineseChars();
  }

  /** Appends the WordPiece tokens of {@code text[from, to)} to {@code out}. */
  void tokenize(String text, int from, int to, WordBuffer word, TokenBuffer out) {
    final byte[] asciiClass = BertCharacters.ASCII_CLASS;
    char[] chars = word.chars;
    int[] originStarts = word.originStarts;
    int[] originEnds = word.originEnds;
    int length = 0;
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      if (c < 128) {
        byte kind = asciiClass[c];
        if (kind == BertCharacters.ASCII_REMOVED && !cleanText) {
          // Without cleaning, the pre-tokenizer still splits on vertical tab and form feed
          // (Unicode White_Space); other C0 controls stay inside words.
          kind =
              (c == 0x0B || c == 0x0C)
                  ? BertCharacters.ASCII_WHITESPACE
                  : BertCharacters.ASCII_WORD;
        }
        if (kind == BertCharacters.ASCII_WORD) {
          if (length == chars.length) {
            word.ensureCapacity(length + 1);
            chars = word.chars;
            originStarts = word.originStarts;
            originEnds = word.originEnds;
          }
          chars[length] = (lowercaseAscii && c >= 'A' && c <= 'Z') ? (char) (c + 32) : c;
          originStarts[length] = i;
          originEnds[length] = i + 1;
          length++;
        } else if (kind == BertCharacters.ASCII_WHITESPACE) {
          if (length > 0) {
            wordPiece.tokenizeWord(word, length, out);
            length = 0;
          }
        } else if (kind == BertCharacters.ASCII_PUNCTUATION) {
          if (length > 0) {
            wordPiece.tokenizeWord(word, length, out);
            length = 0;
          }
          out.add(wordPiece.asciiCharId(c), i, i + 1);
        }
        i++;
        continue;
      }

      int codePoint = text.codePointAt(i);
      int next = i + Character.charCount(codePoint);
      if (cleanText && BertCharacters.isRemovedByCleaning(codePoint)) {
        i = next;
        continue;
      }
      if (BertCharacters.isWhitespace(codePoint) || (!cleanText && codePoint == 0x85)) {
        if (length > 0) {
          wordPiece.tokenizeWord(word, length, out);
          length = 0;
        }
        i = next;
        continue;
      }
      boolean isolated = tokenizeChineseChars && BertCharacters.isChineseCharacter(codePoint);
      if (isolated && length > 0) {
        wordPiece.tokenizeWord(word, length, out);
        length = 0;
      }
      word.ensureCapacity(length + CharacterFolding.MAX_EXPANSION);
      chars = word.chars;
      originStarts = word.originStarts;
      originEnds = word.originEnds;
      int folded = folding.fold(codePoint, chars, length);
      int end = length + folded;
      for (int k = length; k < end; k++) {
        originStarts[k] = i;
        originEnds[k] = next;
      }
      length = splitFoldedPunctuation(word, length, end, out);
      if (isolated && length > 0) {
        wordPiece.tokenizeWord(word, length, out);
        length = 0;
      }
      i = next;
    }
    if (length > 0) {
      wordPiece.tokenizeWord(word, length, out);
    }
  }

  /**
   * The chars {@code [wordLength, end)} were just folded onto the word; any punctuation among them
   * ends the word and becomes a word of its own. Returns the word's new length.
   */
  private int splitFoldedPunctuation(WordBuffer word, int wordLength, int end, TokenBuffer out) {
    char[] chars = word.chars;
    int k = wordLength;
    while (k < end) {
      int codePoint = Character.codePointAt(chars, k, end);
      int width = Character.charCount(codePoint);
      if (!BertCharacters.isPunctuation(codePoint)) {
        k += width;
        continue;
      }
      if (k > 0) {
        wordPiece.tokenizeWord(word, k, out);
      }
      // Shift the punctuation and whatever follows it to the front: it starts a fresh word.
      int rest = end - k;
      System.arraycopy(chars, k, chars, 0, rest);
      System.arraycopy(word.originStarts, k, word.originStarts, 0, rest);
      System.arraycopy(word.originEnds, k, word.originEnds, 0, rest);
      wordPiece.tokenizeWord(word, width, out);
      System.arraycopy(chars, width, chars, 0, rest - width);
      System.arraycopy(word.originStarts, width, word.originStarts, 0, rest - width);
      System.arraycopy(word.originEnds, width, word.originEnds, 0, rest - width);
      end = rest - width;
      k = 0;
    }
    return end;
  }
}
