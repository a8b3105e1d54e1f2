package io.elektron.tokenizer;

import java.util.Arrays;
import java.util.HashMap;

/**
 * An immutable map from strings to ints that is queried with a range of a {@code char[]}, so
 * WordPiece can look up every candidate piece of a word without creating a {@code String}.
 *
 * <p>Open addressing with linear probing at load factor <= 1/2. Each slot holds the key's mixed
 * hash next to its entry number, so a probe touches one cache line and compares characters only
 * when the 32-bit hashes agree. Keys live back to back in one {@code char[]} pool.
 *
 * <p>The hash of a range is {@link #mix(int)} of the polynomial {@code h = 31 * h + c}: callers can
 * compute the polynomial for every prefix of a word in one pass ({@link #extend(int, char)}) and
 * probe longest-first, which is exactly WordPiece's greedy longest-match-first search.
 */
final class CharRangeIndex {
  private static final int EMPTY = -1;

  /** Key characters, back to back. */
  private final char[] pool;

  /** Start of each entry's key in {@link #pool}. */
  private final int[] keyStart;

  /** Length of each entry's key. */
  private final int[] keyLength;

  /** Value of each entry. */
  private final int[] values;

  /**
   * Interleaved (mixed hash, entry number) pairs; entry number {@link #EMPTY} marks a free slot.
   */
  private final int[] slots;

  /** Slot count - 1 (slot count is a power of two). */
  private final int mask;

  /** Length of the longest key: no longer range can match. */
  private final int maxKeyLength;

  private CharRangeIndex(
      char[] pool, int[] keyStart, int[] keyLength, int[] values, int[] slots, int maxKeyLength) {
    this.pool = pool;
    this.keyStart = keyStart;
    this.keyLength = keyLength;
    this.values = values;
    this.slots = slots;
    this.mask = slots.length / 2 - 1;
    this.maxKeyLength = maxKeyLength;
  }

  /** One step of the polynomial hash: the hash of a range extended by one char. */
  static int extend(int polynomial, char c) {
    return 31 * polynomial + c;
  }

  /** Murmur3's finaliser: spreads the polynomial's low-entropy bits over the whole int. */
  static int mix(int polynomial) {
    int h = polynomial;
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    h ^= h >>> 16;
    return h;
  }

  /** Polynomial hash of {@code chars[from, to)}. */
  static int polynomial(CharSequence chars, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = extend(h, chars.charAt(i));
    }
    return h;
  }

  /** Length of the longest key. */
  int maxKeyLength() {
    return maxKeyLength;
  }

  /** Number of distinct keys. */
  int size() {
    return values.length;
  }

  /**
   * The value for the key {@code chars[from, to)}, or -1 when absent.
   *
   * @param polynomial the polynomial hash of exactly that range
   */
  int get(char[] chars, int from, int to, int polynomial) {
    int hash = mix(polynomial);
    int length = to - from;
    int slot = hash & mask;
    while (true) {
      int entry = slots[2 * slot + 1];
      if (entry == EMPTY) {
        return -1;
      }
      if (slots[2 * slot] == hash && keyLength[entry] == length && sameChars(entry, chars, from)) {
        return values[entry];
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The value for {@code key}, or -1 when absent. */
  int get(String key) {
    char[] chars = key.toCharArray();
    return get(chars, 0, chars.length, polynomial(key, 0, key.length()));
  }

  private boolean sameChars(int entry, char[] chars, int from) {
    int start = keyStart[entry];
    int length = keyLength[entry];
    for (int i = 0; i < length; i++) {
      if (pool[start + i] != chars[from + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Collects keys; a key put twice keeps the value put last (HF's rule for duplicate vocab lines).
   */
  static final class Builder {
    private final StringBuilder pool = new StringBuilder();
    private int[] keyStart = new int[64];
    private int[] keyLength = new int[64];
    private int[] values = new int[64];
    private int size;
    private int maxKeyLength;

    /** Temporary index while building, to detect repeated keys; sized on demand. */
    private final HashMap<String, Integer> entryOfKey = new HashMap<>();

    /** Maps {@code key[from, to)} to {@code value}, replacing an earlier value for the same key. */
    Builder put(String key, int from, int to, int value) {
      String k = key.substring(from, to);
      Integer existing = entryOfKey.get(k);
      if (existing != null) {
        values[existing] = value;
        return this;
      }
      if (size == values.length) {
        keyStart = Arrays.copyOf(keyStart, size * 2);
        keyLength = Arrays.copyOf(keyLength, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      keyStart[size] = pool.length();
      keyLength[size] = k.length();
      values[size] = value;
      pool.append(k);
      maxKeyLength = Math.max(maxKeyLength, k.length());
      entryOfKey.put(k, size);
      size++;
      return this;
    }

    /** Maps {@code key} to {@code value}. */
    Builder put(String key, int value) {
      return put(key, 0, key.length(), value);
    }

    CharRangeIndex build() {
      char[] chars = new char[pool.length()];
      pool.getChars(0, pool.length(), chars, 0);
      int slotCount = Integer.highestOneBit(Math.max(4, size * 2 - 1)) << 1;
      int[] slots = new int[2 * slotCount];
      for (int s = 0; s < slotCount; s++) {
        slots[2 * s + 1] = EMPTY;
      }
      int slotMask = slotCount - 1;
      for (int entry = 0; entry < size; entry++) {
        int hash = mix(polynomial(pool, keyStart[entry], keyStart[entry] + keyLength[entry]));
        int slot = hash & slotMask;
        while (slots[2 * slot + 1] != EMPTY) {
          slot = (slot + 1) & slotMask;
        }
        slots[2 * slot] = hash;
        slots[2 * slot + 1] = entry;
      }
      return new CharRangeIndex(
          chars,
          Arrays.copyOf(keyStart, size),
          Arrays.copyOf(keyLength, size),
          Arrays.copyOf(values, size),
          slots,
          maxKeyLength);
    }
  }
}
