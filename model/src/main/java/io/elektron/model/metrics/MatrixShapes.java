package io.elektron.model.metrics;

/**
 * Argument checks shared by the metric entry points. A mismatched shape or a NaN probability would
 * otherwise produce plausible-looking but wrong numbers, so they fail loudly here.
 */
final class MatrixShapes {

  private MatrixShapes() {}

  /**
   * Checks that {@code probs} is a non-empty rectangular {@code [N][L]} matrix of finite values,
   * that {@code gold} has the same shape, and returns L.
   */
  static int checkProbsAndGold(float[][] probs, boolean[][] gold) {
    if (probs.length == 0) {
      throw new IllegalArgumentException("no examples to evaluate (probs has 0 rows)");
    }
    if (gold.length != probs.length) {
      throw new IllegalArgumentException(
          "probs has " + probs.length + " rows but gold has " + gold.length);
    }
    int numLabels = probs[0].length;
    if (numLabels == 0) {
      throw new IllegalArgumentException("probs has 0 labels");
    }
    for (int i = 0; i < probs.length; i++) {
      if (probs[i].length != numLabels || gold[i].length != numLabels) {
        throw new IllegalArgumentException(
            "example " + i + " has " + probs[i].length + " probabilities and " + gold[i].length
                + " gold labels; expected " + numLabels + " of each");
      }
      for (int l = 0; l < numLabels; l++) {
        if (!Float.isFinite(probs[i][l])) {
          throw new IllegalArgumentException(
              "probability at example " + i + ", label " + l + " is " + probs[i][l]);
        }
      }
    }
    return numLabels;
  }

  /** Checks that there is one threshold per label. */
  static void checkThresholds(float[] thresholds, int numLabels) {
    if (thresholds.length != numLabels) {
      throw new IllegalArgumentException(
          thresholds.length + " thresholds for " + numLabels + " labels");
    }
    for (int l = 0; l < numLabels; l++) {
      if (Float.isNaN(thresholds[l])) {
        throw new IllegalArgumentException("threshold for label " + l + " is NaN");
      }
    }
  }
}
