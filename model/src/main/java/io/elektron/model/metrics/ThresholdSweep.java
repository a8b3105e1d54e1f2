package io.elektron.model.metrics;

/**
 * The search shared by global and per-label tuning: candidate thresholds are visited from high to
 * low while (example, label) cells are added to the predicted positives in descending probability
 * order, so each candidate costs only its newly crossed cells plus one objective evaluation.
 *
 * <p>Ties in the objective (within {@link #TIE_TOLERANCE}, because mathematically equal macro
 * averages can differ in the last bit) go to the threshold closest to 0.5, then to the lower one.
 * Why 0.5: with no evidence either way, stay near the neutral point of a sigmoid rather than at
 * an extreme that happens to score the same on a small dev set.
 */
final class ThresholdSweep {

  static final double TIE_TOLERANCE = 1e-12;
  private static final float NEUTRAL = 0.5f;

  /** The winning threshold and its objective value. */
  record Best(float threshold, double score) {}

  private final float[] values;
  private final int[] labelOf;
  private final boolean[] gold;
  private final long[] truePositives;
  private final long[] falsePositives;
  private final long[] support;
  private final TuningObjective objective;

  private float bestThreshold = NEUTRAL;
  private double bestScore = Double.NEGATIVE_INFINITY;

  private ThresholdSweep(float[] values, int[] labelOf, boolean[] gold, int numLabels,
      TuningObjective objective) {
    this.values = values;
    this.labelOf = labelOf;
    this.gold = gold;
    this.objective = objective;
    this.truePositives = new long[numLabels];
    this.falsePositives = new long[numLabels];
    this.support = new long[numLabels];
    for (int k = 0; k < gold.length; k++) {
      if (gold[k]) {
        support[labelOf[k]]++;
      }
    }
  }

  /**
   * Best threshold over flat cells.
   *
   * @param values {@code [M]} probabilities, one per (example, label) cell
   * @param labelOf {@code [M]} each cell's label index in {@code [0, numLabels)}
   * @param gold {@code [M]} each cell's gold label
   */
  static Best best(float[] values, int[] labelOf, boolean[] gold, int numLabels,
      TuningObjective objective, ThresholdSearch search) {
    ThresholdSweep sweep = new ThresholdSweep(values, labelOf, gold, numLabels, objective);
    int[] ascending = ScoreOrder.ascending(values);
    if (search == ThresholdSearch.GRID) {
      sweep.overGrid(ascending);
    } else {
      sweep.overDistinctValues(ascending);
    }
    return new Best(sweep.bestThreshold, sweep.bestScore);
  }

  private void overGrid(int[] ascending) {
    int next = ascending.length - 1;
    for (int step = ThresholdSearch.GRID_STEPS - 1; step >= 1; step--) {
      float threshold = (float) (step / (double) ThresholdSearch.GRID_STEPS);
      while (next >= 0 && DecisionRule.isPositive(values[ascending[next]], threshold)) {
        predictPositive(ascending[next]);
        next--;
      }
      consider(threshold);
    }
  }

  /**
   * Each prefix of the descending order that ends at a change of value is one achievable
   * prediction set; the thresholds producing it form the interval (next lower value, last value
   * included]. The empty set (nothing predicted) is the interval above the maximum.
   */
  private void overDistinctValues(int[] ascending) {
    int next = ascending.length - 1;
    consider(closestToNeutral(values[ascending[next]], Float.POSITIVE_INFINITY));
    while (next >= 0) {
      float value = values[ascending[next]];
      while (next >= 0 && values[ascending[next]] == value) {
        predictPositive(ascending[next]);
        next--;
      }
      float lowerExclusive = next >= 0 ? values[ascending[next]] : Float.NEGATIVE_INFINITY;
      consider(closestToNeutral(lowerExclusive, value));
    }
  }

  private void predictPositive(int cell) {
    if (gold[cell]) {
      truePositives[labelOf[cell]]++;
    } else {
      falsePositives[labelOf[cell]]++;
    }
  }

  private void consider(float threshold) {
    double score = objective.score(truePositives, falsePositives, support);
    if (score > bestScore + TIE_TOLERANCE) {
      bestScore = score;
      bestThreshold = threshold;
    } else if (score >= bestScore - TIE_TOLERANCE) {
      float distance = Math.abs(threshold - NEUTRAL);
      float bestDistance = Math.abs(bestThreshold - NEUTRAL);
      if (distance < bestDistance || (distance == bestDistance && threshold < bestThreshold)) {
        bestThreshold = threshold;
        bestScore = Math.max(bestScore, score);
      }
    }
  }

  /** The threshold in (lowerExclusive, upperInclusive] closest to 0.5. */
  static float closestToNeutral(float lowerExclusive, float upperInclusive) {
    if (lowerExclusive < NEUTRAL && NEUTRAL <= upperInclusive) {
      return NEUTRAL;
    }
    if (upperInclusive < NEUTRAL) {
      return upperInclusive;
    }
    return Math.nextUp(lowerExclusive);
  }
}
