package io.elektron.model.metrics;

/** What a global threshold is chosen to maximise on dev. */
public enum TuningObjective {
  /** F1 of the counts summed over labels: dominated by frequent labels. */
  MICRO_F1,
  /** Unweighted mean of per-label F1: what rare labels move. */
  MACRO_F1,
  /** Per-label F1 weighted by support. */
  WEIGHTED_F1;

  /**
   * The objective for per-label counts at one threshold.
   *
   * @param truePositives {@code [L]}
   * @param falsePositives {@code [L]}
   * @param support {@code [L]} gold positives ({@code fn = support - tp})
   */
  double score(long[] truePositives, long[] falsePositives, long[] support) {
    int numLabels = truePositives.length;
    switch (this) {
      case MICRO_F1 -> {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int l = 0; l < numLabels; l++) {
          tp += truePositives[l];
          fp += falsePositives[l];
          fn += support[l] - truePositives[l];
        }
        return ConfusionCounts.f1(tp, fp, fn);
      }
      case MACRO_F1 -> {
        double sum = 0;
        for (int l = 0; l < numLabels; l++) {
          sum += ConfusionCounts.f1(
              truePositives[l], falsePositives[l], support[l] - truePositives[l]);
        }
        return ConfusionCounts.ratio(sum, numLabels);
      }
      case WEIGHTED_F1 -> {
        double sum = 0;
        long totalSupport = 0;
        for (int l = 0; l < numLabels; l++) {
          sum += support[l] * ConfusionCounts.f1(
              truePositives[l], falsePositives[l], support[l] - truePositives[l]);
          totalSupport += support[l];
        }
        return ConfusionCounts.ratio(sum, totalSupport);
      }
      default -> throw new AssertionError(this);
    }
  }
}
