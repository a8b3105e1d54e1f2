package io.elektron.tokenizer;

import java.util.Arrays;

/**
 * Growable output of tokenization: token ids with their character spans in the original text.
 * Reused across calls (one per thread) so the inner loop allocates nothing.
 */
final class TokenBuffer {
  int[] ids = new int[256];
  int[] starts = new int[256];
  int[] ends = new int[256];
  int size;

  void clear() {
    size = 0;
  }

  void add(int id, int start, int end) {
    if (size == ids.length) {
      grow();
    }
    ids[size] = id;
    starts[size] = start;
    ends[size] = end;
    size++;
  }

  /** Drops tokens added after the first {@code newSize}. */
  void truncate(int newSize) {
    size = newSize;
  }

  private void grow() {
    int capacity = ids.length * 2;
    ids = Arrays.copyOf(ids, capacity);
    starts = Arrays.copyOf(starts, capacity);
    ends = Arrays.copyOf(ends, capacity);
  }
}
