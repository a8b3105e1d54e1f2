package io.elektron.tokenizer;

/**
 * HuggingFace's tri-state {@code strip_accents} setting. Accent stripping means: NFD-decompose each
 * word, then drop every non-spacing mark (Unicode category Mn).
 */
public enum AccentStripping {
  /**
   * {@code strip_accents: null} (the default everywhere in HF): strip accents exactly when
   * lower-casing is on. This is why {@code bert-base-uncased} maps "Café" to "cafe".
   */
  FOLLOW_LOWERCASE,
  /** {@code strip_accents: true}: strip accents even when lower-casing is off. */
  STRIP,
  /** {@code strip_accents: false}: keep accents even when lower-casing is on. */
  KEEP;

  /** Whether accents are stripped for the given lower-casing setting. */
  public boolean strips(boolean lowercase) {
    return this == STRIP || (this == FOLLOW_LOWERCASE && lowercase);
  }

  /** Maps HF's JSON value ({@code null}, {@code true}, {@code false}) to the enum. */
  public static AccentStripping fromHuggingFace(Boolean stripAccents) {
    if (stripAccents == null) {
      return FOLLOW_LOWERCASE;
    }
    return stripAccents ? STRIP : KEEP;
  }
}
