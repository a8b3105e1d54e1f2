package io.elektron.tokenizer;

import java.util.Objects;

/**
 * How text is normalised and split before WordPiece, and how ids are decoded: the settings of HF's
 * {@code BertTokenizer} ({@code tokenizer_config.json}) and of the {@code BertNormalizer} / {@code
 * WordPiece} model / decoder in a {@code tokenizer.json}.
 *
 * @param lowercase {@code do_lower_case}: lower-case every character (full Unicode mapping, one
 *     code point at a time, so {@code İ} becomes {@code i̇} and {@code Σ} is always {@code σ})
 * @param accentStripping {@code strip_accents}
 * @param tokenizeChineseChars {@code tokenize_chinese_chars}: every CJK ideograph is its own word
 * @param cleanText {@code clean_text}: delete control/format/unassigned characters, {@code \x00}
 *     and {@code U+FFFD}, and turn every whitespace character into a word boundary. Always on in
 *     the slow {@code BertTokenizer}; a {@code tokenizer.json} can turn it off
 * @param maxInputCharsPerWord words longer than this (in code points) become the unknown token
 * @param continuingSubwordPrefix the prefix of word-continuation pieces, {@code ##} for BERT
 * @param modelMaxLength {@code model_max_length}: the default {@code maxLength} for truncation;
 *     {@link Integer#MAX_VALUE} when the config gives none (HF writes {@code 1e30} for "none")
 * @param cleanUpTokenizationSpaces {@code clean_up_tokenization_spaces}: the default of {@link
 *     WordPieceTokenizer#decode(int[])} for removing spaces before punctuation and contractions
 * @param specialTokens the special token names
 */
public record TokenizerOptions(
    boolean lowercase,
    AccentStripping accentStripping,
    boolean tokenizeChineseChars,
    boolean cleanText,
    int maxInputCharsPerWord,
    String continuingSubwordPrefix,
    int modelMaxLength,
    boolean cleanUpTokenizationSpaces,
    SpecialTokens specialTokens) {

  /** Validates the settings. */
  public TokenizerOptions {
    Objects.requireNonNull(accentStripping, "accentStripping");
    Objects.requireNonNull(continuingSubwordPrefix, "continuingSubwordPrefix");
    Objects.requireNonNull(specialTokens, "specialTokens");
    if (maxInputCharsPerWord < 1) {
      throw new IllegalArgumentException(
          "maxInputCharsPerWord must be >= 1: " + maxInputCharsPerWord);
    }
    if (modelMaxLength < 1) {
      throw new IllegalArgumentException("modelMaxLength must be >= 1: " + modelMaxLength);
    }
  }

  /**
   * HF {@code BertTokenizer}'s constructor defaults: lower-case on, accents follow lower-casing,
   * CJK split, text cleaning on, 100 characters per word, {@code ##}, no length limit, decode
   * clean-up on (transformers 4.30), BERT's special tokens. These are the settings of {@code
   * bert-base-uncased} and ELECTRA.
   */
  public static TokenizerOptions uncased() {
    return new TokenizerOptions(
        true,
        AccentStripping.FOLLOW_LOWERCASE,
        true,
        true,
        100,
        "##",
        Integer.MAX_VALUE,
        true,
        SpecialTokens.bert());
  }

  /** {@link #uncased()} with lower-casing (and so accent stripping) off: cased BERT models. */
  public static TokenizerOptions cased() {
    return uncased().withLowercase(false);
  }

  /** Whether accents are stripped under these settings. */
  public boolean stripsAccents() {
    return accentStripping.strips(lowercase);
  }

  /** A copy with {@code do_lower_case} replaced. */
  public TokenizerOptions withLowercase(boolean value) {
    return new TokenizerOptions(
        value,
        accentStripping,
        tokenizeChineseChars,
        cleanText,
        maxInputCharsPerWord,
        continuingSubwordPrefix,
        modelMaxLength,
        cleanUpTokenizationSpaces,
        specialTokens);
  }

  /** A copy with {@code strip_accents} replaced. */
  public TokenizerOptions withAccentStripping(AccentStripping value) {
    return new TokenizerOptions(
        lowercase,
        value,
        tokenizeChineseChars,
        cleanText,
        maxInputCharsPerWord,
        continuingSubwordPrefix,
        modelMaxLength,
        cleanUpTokenizationSpaces,
        specialTokens);
  }

  /** A copy with {@code tokenize_chinese_chars} replaced. */
  public TokenizerOptions withTokenizeChineseChars(boolean value) {
    return new TokenizerOptions(
        lowercase,
        accentStripping,
        value,
        cleanText,
        maxInputCharsPerWord,
        continuingSubwordPrefix,
        modelMaxLength,
        cleanUpTokenizationSpaces,
        specialTokens);
  }

  /** A copy with {@code clean_text} replaced. */
  public TokenizerOptions withCleanText(boolean value) {
    return new TokenizerOptions(
        lowercase,
        accentStripping,
        tokenizeChineseChars,
        value,
        maxInputCharsPerWord,
        continuingSubwordPrefix,
        modelMaxLength,
        cleanUpTokenizationSpaces,
        specialTokens);
  }

  /** A copy with {@code max_input_chars_per_word} replaced. */
  public TokenizerOptions withMaxInputCharsPerWord(int value) {
    return new TokenizerOptions(
        lowercase,
        accentStripping,
        tokenizeChineseChars,
        cleanText,
        value,
        continuingSubwordPrefix,
        modelMaxLength,
        cleanUpTokenizationSpaces,
        specialTokens);
  }

  /** A copy with {@code continuing_subword_prefix} replaced. */
  public TokenizerOptions withContinuingSubwordPrefix(String value) {
    return new TokenizerOptions(
        lowercase,
        accentStripping,
        tokenizeChineseChars,
        cleanText,
        maxInputCharsPerWord,
        value,
        modelMaxLength,
        cleanUpTokenizationSpaces,
        specialTokens);
  }

  /** A copy with {@code model_max_length} replaced. */
  public TokenizerOptions withModelMaxLength(int value) {
    return new TokenizerOptions(
        lowercase,
        accentStripping,
        tokenizeChineseChars,
        cleanText,
        maxInputCharsPerWord,
        continuingSubwordPrefix,
        value,
        cleanUpTokenizationSpaces,
        specialTokens);
  }

  /** A copy with {@code clean_up_tokenization_spaces} replaced. */
  public TokenizerOptions withCleanUpTokenizationSpaces(boolean value) {
    return new TokenizerOptions(
        lowercase,
        accentStripping,
        tokenizeChineseChars,
        cleanText,
        maxInputCharsPerWord,
        continuingSubwordPrefix,
        modelMaxLength,
        value,
        specialTokens);
  }

  /** A copy with the special tokens replaced. */
  public TokenizerOptions withSpecialTokens(SpecialTokens value) {
    return new TokenizerOptions(
        lowercase,
        accentStripping,
        tokenizeChineseChars,
        cleanText,
        maxInputCharsPerWord,
        continuingSubwordPrefix,
        modelMaxLength,
        cleanUpTokenizationSpaces,
        value);
  }
}
