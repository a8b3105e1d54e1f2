package io.elektron.tokenizer;

import java.util.Arrays;

/**
 * The normalised characters of the word being built, each with the span of the original character
 * it came from (a folded character can expand: {@code İ} lower-cases to two chars that both point
 * back to it). Reused across calls, one per thread.
 */
final class WordBuffer {
  char[] chars = new char[128];
  int[] originStarts = new int[128];
  int[] originEnds = new int[128];

  /** Scratch for the polynomial hash of every prefix of a piece (see {@link CharRangeIndex}). */
  int[] prefixHashes = new int[128];

  /** Makes room for {@code needed} chars, keeping the first {@code length}. */
  void ensureCapacity(int needed) {
    if (needed > chars.length) {
      int capacity = Math.max(needed, chars.length * 2);
      chars = Arrays.copyOf(chars, capacity);
      originStarts = Arrays.copyOf(originStarts, capacity);
      originEnds = Arrays.copyOf(originEnds, capacity);
    }
  }

  /** Makes room for prefix hashes of pieces up to {@code length} chars. */
  int[] prefixHashes(int length) {
    if (prefixHashes.length < length) {
      prefixHashes = new int[Math.max(length, prefixHashes.length * 2)];
    }
    return prefixHashes;
  }
}
