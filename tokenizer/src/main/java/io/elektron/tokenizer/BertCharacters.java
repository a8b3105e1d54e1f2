package io.elektron.tokenizer;

/**
 * BERT's character classes, as HF's {@code BasicTokenizer} ({@code _is_control}, {@code
 * _is_whitespace}, {@code _is_punctuation}, {@code _is_chinese_char}) and the Rust {@code
 * BertNormalizer}/{@code BertPreTokenizer} define them. All take a code point.
 */
final class BertCharacters {
  private BertCharacters() {}

  /** ASCII class: deleted by text cleaning (C0 controls other than tab/LF/CR, and DEL). */
  static final byte ASCII_REMOVED = 0;

  /** ASCII class: space, tab, line feed, carriage return. */
  static final byte ASCII_WHITESPACE = 1;

  /** ASCII class: BERT punctuation, which includes symbols such as {@code $ + < = > ^ ` | ~}. */
  static final byte ASCII_PUNCTUATION = 2;

  /** ASCII class: letters and digits. */
  static final byte ASCII_WORD = 3;

  /** Class of every ASCII character, indexed by its code; drives the tokenizer's fast path. */
  static final byte[] ASCII_CLASS = buildAsciiClasses();

  private static byte[] buildAsciiClasses() {
    byte[] classes = new byte[128];
    for (int c = 0; c < 128; c++) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        classes[c] = ASCII_WHITESPACE;
      } else if (c < 32 || c == 127) {
        classes[c] = ASCII_REMOVED;
      } else if (isPunctuation(c)) {
        classes[c] = ASCII_PUNCTUATION;
      } else {
        classes[c] = ASCII_WORD;
      }
    }
    return classes;
  }

  /**
   * Whether text cleaning deletes the character: NUL, U+FFFD, and every "other" character (Cc, Cf,
   * Cn, Co, Cs) except tab, LF and CR. Deleting (rather than splitting on) these is why {@code
   * "zero\u200Bwidth"} is one word: its neighbours merge.
   */
  static boolean isRemovedByCleaning(int codePoint) {
    if (codePoint == 0 || codePoint == 0xFFFD) {
      return true;
    }
    if (codePoint == '\t' || codePoint == '\n' || codePoint == '\r') {
      return false;
    }
    int type = Character.getType(codePoint);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE;
  }

  /**
   * Whether the character separates words: space, tab, LF, CR and category Zs (what {@code
   * _is_whitespace} maps to a space), plus Zl and Zp, on which Python's {@code str.split()} (HF's
   * {@code whitespace_tokenize}) and Rust's {@code char::is_whitespace} also split.
   */
  static boolean isWhitespace(int codePoint) {
    if (codePoint == ' ' || codePoint == '\t' || codePoint == '\n' || codePoint == '\r') {
      return true;
    }
    int type = Character.getType(codePoint);
    return type == Character.SPACE_SEPARATOR
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * BERT punctuation: all non-alphanumeric printable ASCII (33-47, 58-64, 91-96, 123-126, so {@code
   * $} and {@code ^} count although Unicode calls them symbols) plus Unicode category P*. Every
   * punctuation character is a word of its own.
   */
  static boolean isPunctuation(int codePoint) {
    if ((codePoint >= 33 && codePoint <= 47)
        || (codePoint >= 58 && codePoint <= 64)
        || (codePoint >= 91 && codePoint <= 96)
        || (codePoint >= 123 && codePoint <= 126)) {
      return true;
    }
    if (codePoint < 128) {
      return false;
    }
    switch (Character.getType(codePoint)) {
      case Character.CONNECTOR_PUNCTUATION:
      case Character.DASH_PUNCTUATION:
      case Character.START_PUNCTUATION:
      case Character.END_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION:
      case Character.FINAL_QUOTE_PUNCTUATION:
      case Character.OTHER_PUNCTUATION:
        return true;
      default:
        return false;
    }
  }

  /**
   * HF's {@code _is_chinese_char}: the CJK Unified Ideographs blocks and extensions A-E plus the
   * compatibility ideographs. Hiragana, katakana and hangul are deliberately not included (BERT's
   * choice), which is why Japanese kana stay joined into words.
   */
  static boolean isChineseCharacter(int codePoint) {
    return (codePoint >= 0x4E00 && codePoint <= 0x9FFF)
        || (codePoint >= 0x3400 && codePoint <= 0x4DBF)
        || (codePoint >= 0x20000 && codePoint <= 0x2A6DF)
        || (codePoint >= 0x2A700 && codePoint <= 0x2B73F)
        || (codePoint >= 0x2B740 && codePoint <= 0x2B81F)
        || (codePoint >= 0x2B820 && codePoint <= 0x2CEAF)
        || (codePoint >= 0xF900 && codePoint <= 0xFAFF)
        || (codePoint >= 0x2F800 && codePoint <= 0x2FA1F);
  }
}
