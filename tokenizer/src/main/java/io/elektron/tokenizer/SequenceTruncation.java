package io.elektron.tokenizer;

/**
 * How many tokens of each sequence survive truncation, following HF's {@code truncate_sequences}.
 */
final class SequenceTruncation {
  private SequenceTruncation() {}

  /**
   * The kept lengths {@code {keptA, keptB}}.
   *
   * @param lengthA tokens of the first text
   * @param lengthB tokens of the second text, or -1 for a single text
   * @param specialCount special tokens that will be added (0, 2 or 3)
   * @param maxLength the limit, special tokens included
   */
  static int[] keptLengths(
      int lengthA, int lengthB, int specialCount, TruncationStrategy strategy, int maxLength) {
    int keptA = lengthA;
    int keptB = lengthB;
    int total = lengthA + Math.max(lengthB, 0) + specialCount;
    if (strategy == TruncationStrategy.DO_NOT_TRUNCATE || total <= maxLength) {
      return new int[] {keptA, keptB};
    }
    if (maxLength < specialCount) {
      throw new TokenizerException(
          "cannot truncate to maxLength "
              + maxLength
              + ": the "
              + specialCount
              + " special tokens alone exceed it");
    }
    int remove = total - maxLength;
    boolean pair = lengthB >= 0;
    switch (strategy) {
      case LONGEST_FIRST:
        if (pair) {
          // HF removes one token at a time from the longer sequence, from the second on a tie.
          for (int r = 0; r < remove; r++) {
            if (keptA > keptB) {
              keptA--;
            } else {
              keptB--;
            }
          }
          return new int[] {keptA, keptB};
        }
        return new int[] {shorten(lengthA, remove, "text", maxLength), keptB};
      case ONLY_FIRST:
        return new int[] {shorten(lengthA, remove, "first text", maxLength), keptB};
      case ONLY_SECOND:
        if (!pair) {
          throw new TokenizerException("truncation ONLY_SECOND needs a text pair");
        }
        return new int[] {keptA, shorten(lengthB, remove, "second text", maxLength)};
      default:
        throw new AssertionError(strategy);
    }
  }

  /**
   * HF refuses (logs an error and leaves the sequence too long) when truncation would remove all of
   * a sequence's tokens; a silent over-long sequence would only fail later in the model, so this
   * throws instead.
   */
  private static int shorten(int length, int remove, String which, int maxLength) {
    if (length <= remove) {
      throw new TokenizerException(
          "cannot truncate to maxLength "
              + maxLength
              + ": the "
              + which
              + " has "
              + length
              + " tokens but "
              + remove
              + " must be removed from it");
    }
    return length - remove;
  }
}
