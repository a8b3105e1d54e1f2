package io.elektron.model.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Label frequencies in a set of examples — above all, labels with no positive example at all,
 * which a model cannot learn and which score F1 = 0 in every macro average (the trainer should
 * warn about them).
 */
public final class LabelStatistics {

  private LabelStatistics() {}

  /**
   * Positives per label over the labeled examples (unlabeled ones are ignored).
   *
   * @return {@code [numLabels]} counts
   * @throws IllegalArgumentException when an example has a different number of labels
   */
  public static long[] positivesPerLabel(List<Example> examples, int numLabels) {
    long[] positives = new long[numLabels];
    for (Example example : examples) {
      boolean[] labels = example.labels();
      if (labels == null) {
        continue;
      }
      if (labels.length != numLabels) {
        throw new IllegalArgumentException(
            "example has " + labels.length + " labels, expected " + numLabels + ": " + example);
      }
      for (int l = 0; l < numLabels; l++) {
        if (labels[l]) {
          positives[l]++;
        }
      }
    }
    return positives;
  }

  /** Names of the labels with zero positive examples, in label order. */
  public static List<String> labelsNeverSeen(List<Example> examples, List<String> labelNames) {
    long[] positives = positivesPerLabel(examples, labelNames.size());
    List<String> neverSeen = new ArrayList<>();
    for (int l = 0; l < positives.length; l++) {
      if (positives[l] == 0) {
        neverSeen.add(labelNames.get(l));
      }
    }
    return neverSeen;
  }
}
