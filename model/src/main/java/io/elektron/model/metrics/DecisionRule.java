package io.elektron.model.metrics;

/**
 * Turns probabilities into yes/no predictions. The single place that fixes the comparison: a label
 * is positive when {@code prob >= threshold}.
 *
 * <p>Why {@code >=}: the threshold tuner's exact search ({@link ThresholdSearch#DISTINCT_PROBABILITIES})
 * can then use observed probability values themselves as thresholds, as sklearn's {@code
 * precision_recall_curve} does.
 */
public final class DecisionRule {

  private DecisionRule() {}

  /** Whether {@code prob} is predicted positive at {@code threshold}. */
  public static boolean isPositive(float prob, float threshold) {
    return prob >= threshold;
  }

  /**
   * Predictions for every example and label with one threshold for all labels.
   *
   * @param probs {@code [N][L]} probabilities
   * @return {@code [N][L]} predictions
   */
  public static boolean[][] predict(float[][] probs, float threshold) {
    boolean[][] predicted = new boolean[probs.length][];
    for (int i = 0; i < probs.length; i++) {
      predicted[i] = new boolean[probs[i].length];
      for (int l = 0; l < probs[i].length; l++) {
        predicted[i][l] = isPositive(probs[i][l], threshold);
      }
    }
    return predicted;
  }

  /**
   * Predictions for every example and label with one threshold per label.
   *
   * @param probs {@code [N][L]} probabilities
   * @param thresholds {@code [L]} thresholds
   * @return {@code [N][L]} predictions
   * @throws IllegalArgumentException when a row's length differs from {@code thresholds.length}
   */
  public static boolean[][] predict(float[][] probs, float[] thresholds) {
    boolean[][] predicted = new boolean[probs.length][];
    for (int i = 0; i < probs.length; i++) {
      if (probs[i].length != thresholds.length) {
        throw new IllegalArgumentException(
            "row " + i + " has " + probs[i].length + " probabilities but there are "
                + thresholds.length + " thresholds");
      }
      predicted[i] = new boolean[thresholds.length];
      for (int l = 0; l < thresholds.length; l++) {
        predicted[i][l] = isPositive(probs[i][l], thresholds[l]);
      }
    }
    return predicted;
  }
}
