package io.elektron.model.metrics;

/**
 * True/false positive/negative counts for one label (or summed over labels, for micro averages),
 * with the ratios derived from them. Every ratio with a zero denominator is 0 (sklearn's {@code
 * zero_division=0}).
 */
public record ConfusionCounts(
    long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

  /** {@code tp / (tp + fp)}; 0 when nothing was predicted positive. */
  public double precision() {
    return ratio(truePositives, truePositives + falsePositives);
  }

  /** {@code tp / (tp + fn)}; 0 when there are no gold positives. */
  public double recall() {
    return ratio(truePositives, truePositives + falseNegatives);
  }

  /**
   * {@code 2tp / (2tp + fp + fn)}, equal to the harmonic mean of precision and recall whenever that
   * is defined; 0 when there are neither gold nor predicted positives.
   */
  public double f1() {
    return f1(truePositives, falsePositives, falseNegatives);
  }

  /** Gold positives: {@code tp + fn}. */
  public long support() {
    return truePositives + falseNegatives;
  }

  /** Predicted positives: {@code tp + fp}. */
  public long predictedPositives() {
    return truePositives + falsePositives;
  }

  /** F1 from raw counts, for hot loops that do not want a record per candidate threshold. */
  static double f1(long truePositives, long falsePositives, long falseNegatives) {
    return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
  }

  /** {@code numerator / denominator}, or 0 when the denominator is 0. */
  static double ratio(double numerator, double denominator) {
    return denominator == 0 ? 0.0 : numerator / denominator;
  }
}
