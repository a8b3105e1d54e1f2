package io.elektron.tokenizer;

import java.util.Objects;

/**
 * Per-call encoding settings, HF's {@code __call__} arguments.
 *
 * @param addSpecialTokens wrap as {@code [CLS] a [SEP]} / {@code [CLS] a [SEP] b [SEP]}
 * @param truncation how to cut sequences longer than {@code maxLength}
 * @param maxLength the length limit (special tokens included) for truncation and {@link
 *     PaddingStrategy#MAX_LENGTH}; 0 means the tokenizer's {@code model_max_length}
 * @param padding how to pad
 */
public record EncodeOptions(
    boolean addSpecialTokens,
    TruncationStrategy truncation,
    int maxLength,
    PaddingStrategy padding) {

  private static final EncodeOptions DEFAULTS =
      new EncodeOptions(true, TruncationStrategy.DO_NOT_TRUNCATE, 0, PaddingStrategy.DO_NOT_PAD);

  /** Validates the settings. */
  public EncodeOptions {
    Objects.requireNonNull(truncation, "truncation");
    Objects.requireNonNull(padding, "padding");
    if (maxLength < 0) {
      throw new IllegalArgumentException(
          "maxLength must be >= 0 (0 = model_max_length): " + maxLength);
    }
  }

  /** Special tokens on, no truncation, no padding: HF's defaults. */
  public static EncodeOptions defaults() {
    return DEFAULTS;
  }

  /** Defaults plus {@code longest_first} truncation to {@code maxLength}. */
  public static EncodeOptions truncatedTo(int maxLength) {
    return DEFAULTS.withTruncation(TruncationStrategy.LONGEST_FIRST, maxLength);
  }

  /** A copy with truncation strategy and max length replaced. */
  public EncodeOptions withTruncation(TruncationStrategy strategy, int length) {
    return new EncodeOptions(addSpecialTokens, strategy, length, padding);
  }

  /** A copy with the max length replaced. */
  public EncodeOptions withMaxLength(int length) {
    return new EncodeOptions(addSpecialTokens, truncation, length, padding);
  }

  /** A copy with the padding strategy replaced. */
  public EncodeOptions withPadding(PaddingStrategy strategy) {
    return new EncodeOptions(addSpecialTokens, truncation, maxLength, strategy);
  }

  /** A copy with {@code addSpecialTokens} replaced. */
  public EncodeOptions withSpecialTokens(boolean add) {
    return new EncodeOptions(add, truncation, maxLength, padding);
  }
}
