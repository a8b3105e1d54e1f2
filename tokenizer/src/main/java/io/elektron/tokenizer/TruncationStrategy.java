package io.elektron.tokenizer;

/** HF's {@code truncation} strategies; lengths always count the special tokens. */
public enum TruncationStrategy {
  /** Never truncate ({@code truncation=False}). */
  DO_NOT_TRUNCATE,
  /**
   * {@code longest_first} (what {@code truncation=True} means): remove one token at a time from the
   * end of the longer sequence; on a tie from the second. Single texts lose their tail.
   */
  LONGEST_FIRST,
  /** {@code only_first}: remove tokens from the end of the first sequence only. */
  ONLY_FIRST,
  /** {@code only_second}: remove tokens from the end of the second sequence of a pair only. */
  ONLY_SECOND
}
