package io.elektron.model.metrics;

/** Converts float gold targets (the BCE targets a trainer holds) to the boolean form metrics use. */
public final class GoldLabels {

  /** A float target at or above this value counts as a positive. */
  public static final float POSITIVE_AT_LEAST = 0.5f;

  private GoldLabels() {}

  /**
   * {@code targets[i][l] >= 0.5} becomes {@code true}. Works for 0/1 targets and for smoothed ones
   * (e.g. 0.95 / 0.05).
   *
   * @param targets {@code [N][L]} finite values
   * @return {@code [N][L]} gold labels
   * @throws IllegalArgumentException on a NaN or infinite target (it would silently read as
   *     negative)
   */
  public static boolean[][] fromFloatTargets(float[][] targets) {
    boolean[][] gold = new boolean[targets.length][];
    for (int i = 0; i < targets.length; i++) {
      gold[i] = new boolean[targets[i].length];
      for (int l = 0; l < targets[i].length; l++) {
        float target = targets[i][l];
        if (!Float.isFinite(target)) {
          throw new IllegalArgumentException(
              "gold target at example " + i + ", label " + l + " is " + target);
        }
        gold[i][l] = target >= POSITIVE_AT_LEAST;
      }
    }
    return gold;
  }
}
