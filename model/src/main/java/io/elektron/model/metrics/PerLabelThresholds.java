package io.elektron.model.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Per-label thresholds chosen on dev, each maximising its label's F1.
 *
 * @param thresholds {@code [L]} thresholds, ready for {@link MultiLabelMetrics#evaluate(float[][],
 *     boolean[][], float[], List)} on test
 * @param devF1 {@code [L]} each label's dev F1 at its threshold (optimistic: tuned on that data)
 * @param fallbackLabels indices of labels that got the fallback threshold because no threshold
 *     reached a dev F1 above 0 (typically: no gold positives in dev)
 */
public record PerLabelThresholds(float[] thresholds, double[] devF1, List<Integer> fallbackLabels) {

  public PerLabelThresholds {
    thresholds = thresholds.clone();
    devF1 = devF1.clone();
    fallbackLabels = List.copyOf(fallbackLabels);
  }

  /** The thresholds (a copy). */
  @Override
  public float[] thresholds() {
    return thresholds.clone();
  }

  /** The dev F1 per label (a copy). */
  @Override
  public double[] devF1() {
    return devF1.clone();
  }

  /** Value equality, comparing the arrays by content (a record would compare references). */
  @Override
  public boolean equals(Object other) {
    return other instanceof PerLabelThresholds that
        && Arrays.equals(thresholds, that.thresholds)
        && Arrays.equals(devF1, that.devF1)
        && fallbackLabels.equals(that.fallbackLabels);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(thresholds) + Arrays.hashCode(devF1))
        + fallbackLabels.hashCode();
  }

  @Override
  public String toString() {
    return "PerLabelThresholds[thresholds=" + Arrays.toString(thresholds) + ", devF1="
        + Arrays.toString(devF1) + ", fallbackLabels=" + fallbackLabels + "]";
  }
}
