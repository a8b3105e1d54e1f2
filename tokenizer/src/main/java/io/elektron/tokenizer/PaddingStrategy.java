package io.elektron.tokenizer;

/**
 * HF's {@code padding} strategies. Padding goes on the right with the pad token, token type 0,
 * attention mask 0 and offsets (0, 0).
 */
public enum PaddingStrategy {
  /** No padding. */
  DO_NOT_PAD,
  /** Pad every sequence of a batch to the batch's longest ({@code padding="longest"}). */
  LONGEST,
  /** Pad every sequence to the options' max length ({@code padding="max_length"}). */
  MAX_LENGTH
}
