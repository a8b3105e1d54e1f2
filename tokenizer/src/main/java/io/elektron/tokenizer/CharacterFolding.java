package io.elektron.tokenizer;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Lower-casing and accent stripping of one code point at a time, precomputed for the whole BMP so
 * the tokenizer's inner loop does a table lookup instead of allocating strings.
 *
 * <p>Why per code point: HF's slow tokenizer lower-cases the text one character at a time (the
 * regex in {@code PreTrainedTokenizer.tokenize} that protects special tokens matches {@code (.+?)})
 * and the Rust normalizer maps each {@code char} on its own, so context-dependent rules such as
 * Greek final sigma never apply: {@code Σ} is always {@code σ}. The full (not simple) mapping is
 * used, so {@code İ} becomes {@code i} + U+0307, exactly like Python's {@code str.lower()}.
 *
 * <p>Accent stripping is NFD then deletion of every Mn character. Decomposing per code point
 * instead of per word only differs in the canonical reordering of consecutive combining marks;
 * after the Mn marks are deleted that can only matter for two or more adjacent spacing combining
 * marks (Mc) with different combining classes, which no real text contains.
 */
final class CharacterFolding {
  /**
   * The most UTF-16 chars one code point can fold to (NFD expands a BMP character to at most 4).
   */
  static final int MAX_EXPANSION = 18;

  private static final CharacterFolding IDENTITY = new CharacterFolding(false, false);

  private static final class LowercaseHolder {
    static final CharacterFolding INSTANCE = new CharacterFolding(true, false);
  }

  private static final class StripAccentsHolder {
    static final CharacterFolding INSTANCE = new CharacterFolding(false, true);
  }

  private static final class LowercaseAndStripAccentsHolder {
    static final CharacterFolding INSTANCE = new CharacterFolding(true, true);
  }

  private final boolean lowercase;
  private final boolean stripAccents;

  /** Folded form of each BMP char when it is exactly one char; see {@link #bmpOther}. */
  private final char[] bmpSingle;

  /** Folded form of each BMP char when it is not exactly one char (empty or several), else null. */
  private final String[] bmpOther;

  private CharacterFolding(boolean lowercase, boolean stripAccents) {
    this.lowercase = lowercase;
    this.stripAccents = stripAccents;
    if (!lowercase && !stripAccents) {
      bmpSingle = null;
      bmpOther = null;
      return;
    }
    bmpSingle = new char[0x10000];
    bmpOther = new String[0x10000];
    for (int c = 0; c < 0x10000; c++) {
      if (Character.isSurrogate((char) c)) {
        bmpSingle[c] = (char) c;
        continue;
      }
      String folded = foldSlowly(c);
      if (folded.length() == 1) {
        bmpSingle[c] = folded.charAt(0);
      } else {
        bmpOther[c] = folded;
      }
    }
  }

  /** The shared folding for these settings (tables are built once per JVM, on first use). */
  static CharacterFolding of(boolean lowercase, boolean stripAccents) {
    if (lowercase && stripAccents) {
      return LowercaseAndStripAccentsHolder.INSTANCE;
    }
    if (lowercase) {
      return LowercaseHolder.INSTANCE;
    }
    if (stripAccents) {
      return StripAccentsHolder.INSTANCE;
    }
    return IDENTITY;
  }

  /** Whether this folding changes nothing. */
  boolean isIdentity() {
    return bmpSingle == null;
  }

  /** Whether ASCII letters are lower-cased (accent stripping never changes ASCII). */
  boolean lowercasesAscii() {
    return lowercase;
  }

  /**
   * Writes the folded form of {@code codePoint} to {@code out} at {@code position}; returns how
   * many chars were written (0 when the character is an accent that is stripped). {@code out} must
   * have room for {@link #MAX_EXPANSION} chars.
   */
  int fold(int codePoint, char[] out, int position) {
    if (bmpSingle == null) {
      return Character.toChars(codePoint, out, position);
    }
    if (codePoint < 0x10000) {
      String other = bmpOther[codePoint];
      if (other == null) {
        out[position] = bmpSingle[codePoint];
        return 1;
      }
      other.getChars(0, other.length(), out, position);
      return other.length();
    }
    // Supplementary planes are rare in text; computing them on demand keeps the tables small.
    String folded = foldSlowly(codePoint);
    folded.getChars(0, folded.length(), out, position);
    return folded.length();
  }

  private String foldSlowly(int codePoint) {
    String text = new String(Character.toChars(codePoint));
    if (lowercase) {
      text = text.toLowerCase(Locale.ROOT);
    }
    if (stripAccents) {
      String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
      StringBuilder kept = new StringBuilder(decomposed.length());
      decomposed
          .codePoints()
          .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
          .forEach(kept::appendCodePoint);
      text = kept.toString();
    }
    return text;
  }
}
