package io.elektron.model.data;

import java.util.List;

/**
 * Examples plus the names of their labels (index {@code l} of every {@link Example#labels()} is
 * {@code labelNames.get(l)}).
 *
 * @param examples the examples, in file order
 * @param labelNames {@code [L]} label names; empty for an unlabeled dataset whose labels are
 *     unknown
 * @param summary what happened while reading (skipped lines, duplicate ids)
 */
public record Dataset(List<Example> examples, List<String> labelNames, ReadSummary summary) {

  public Dataset {
    examples = List.copyOf(examples);
    labelNames = List.copyOf(labelNames);
    for (int i = 0; i < examples.size(); i++) {
      boolean[] labels = examples.get(i).labels();
      if (labels != null && labels.length != labelNames.size()) {
        throw new IllegalArgumentException("example " + i + " has " + labels.length
            + " labels but the dataset has " + labelNames.size() + " label names");
      }
    }
  }

  /** A dataset built in memory. */
  public Dataset(List<Example> examples, List<String> labelNames) {
    this(examples, labelNames, ReadSummary.inMemory());
  }

  /** N. */
  public int size() {
    return examples.size();
  }

  /** L. */
  public int numLabels() {
    return labelNames.size();
  }

  /** Whether every example has gold labels (needed to train or evaluate). */
  public boolean isFullyLabeled() {
    for (Example example : examples) {
      if (!example.hasLabels()) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code [N][L]} gold labels, for the metrics.
   *
   * @throws IllegalStateException when some example is unlabeled
   */
  public boolean[][] labelMatrix() {
    boolean[][] matrix = new boolean[examples.size()][];
    for (int i = 0; i < matrix.length; i++) {
      Example example = examples.get(i);
      if (!example.hasLabels()) {
        throw new IllegalStateException("example " + i + " has no labels: " + example);
      }
      matrix[i] = example.labels().clone();
    }
    return matrix;
  }

  /**
   * {@code [N][L]} 0/1 float targets for BCE-with-logits.
   *
   * @throws IllegalStateException when some example is unlabeled
   */
  public float[][] targetMatrix() {
    float[][] matrix = new float[examples.size()][];
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = examples.get(i).targets();
    }
    return matrix;
  }

  /** {@code [L]} positive examples per label. */
  public long[] positivesPerLabel() {
    return LabelStatistics.positivesPerLabel(examples, labelNames.size());
  }

  /** Labels with no positive example here (warn when this is the training set). */
  public List<String> labelsNeverSeen() {
    return LabelStatistics.labelsNeverSeen(examples, labelNames);
  }
}
