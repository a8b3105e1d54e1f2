package io.elektron.model.metrics;

import java.util.Arrays;

/**
 * Sorting permutation of a float array without boxing: each value's bits are mapped to a signed int
 * that orders like the float, packed with the index into one long, and the longs are sorted. This
 * keeps the AUC and the threshold sweeps at {@code O(n log n)} on primitive arrays (GoEmotions
 * train has 1.2 M probabilities).
 */
final class ScoreOrder {

  private ScoreOrder() {}

  /** Indices of {@code values} in ascending value order; equal values keep index order. */
  static int[] ascending(float[] values) {
    long[] keys = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      keys[i] = ((long) orderedBits(values[i]) << 32) | i;
    }
    Arrays.sort(keys);
    int[] order = new int[values.length];
    for (int i = 0; i < keys.length; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  /**
   * An int whose signed order matches the float order. Non-negative floats already order by their
   * bits; negative ones order in reverse, so their magnitude bits are flipped. {@code -0.0} is
   * folded onto {@code 0.0} so that the two compare equal, as they do with {@code ==}.
   */
  private static int orderedBits(float value) {
    int bits = Float.floatToIntBits(value == 0.0f ? 0.0f : value);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
