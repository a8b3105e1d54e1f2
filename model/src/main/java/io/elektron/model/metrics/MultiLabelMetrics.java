package io.elektron.model.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Multi-label metrics at a threshold: micro / macro / weighted precision, recall and F1, a
 * per-label table, Hamming loss, subset accuracy and macro ROC-AUC, gathered in a {@link
 * MetricsReport}.
 *
 * <p>Conventions (decision rule {@code prob >= threshold}, zero denominators give 0, macro over
 * all labels) are described in the {@linkplain io.elektron.model.metrics package documentation}.
 */
public final class MultiLabelMetrics {

  private MultiLabelMetrics() {}

  /**
   * Full report with one threshold for every label.
   *
   * @param probs {@code [N][L]} probabilities
   * @param gold {@code [N][L]} gold labels
   * @param labelNames {@code [L]} names, or {@code null} for {@code label_0 .. label_{L-1}}
   */
  public static MetricsReport evaluate(
      float[][] probs, boolean[][] gold, float threshold, List<String> labelNames) {
    int numLabels = MatrixShapes.checkProbsAndGold(probs, gold);
    float[] thresholds = new float[numLabels];
    Arrays.fill(thresholds, threshold);
    return evaluate(probs, gold, thresholds, labelNames);
  }

  /**
   * Full report with one threshold per label (e.g. from {@link ThresholdTuner#tunePerLabel}).
   *
   * @param probs {@code [N][L]} probabilities
   * @param gold {@code [N][L]} gold labels
   * @param thresholds {@code [L]} thresholds
   * @param labelNames {@code [L]} names, or {@code null} for {@code label_0 .. label_{L-1}}
   */
  public static MetricsReport evaluate(
      float[][] probs, boolean[][] gold, float[] thresholds, List<String> labelNames) {
    int numLabels = MatrixShapes.checkProbsAndGold(probs, gold);
    MatrixShapes.checkThresholds(thresholds, numLabels);
    List<String> names = namesOrDefault(labelNames, numLabels);

    boolean[][] predicted = DecisionRule.predict(probs, thresholds);
    ConfusionCounts[] counts = confusionCounts(predicted, gold);
    RocAucResult rocAuc = RocAuc.macro(probs, gold);

    List<LabelScores> perLabel = new ArrayList<>(numLabels);
    for (int l = 0; l < numLabels; l++) {
      ConfusionCounts c = counts[l];
      perLabel.add(new LabelScores(names.get(l), thresholds[l], c, c.precision(), c.recall(),
          c.f1(), c.support(), rocAuc.perLabel().get(l)));
    }
    return new MetricsReport(probs.length, names, thresholds, micro(counts), macro(counts),
        weighted(counts), Collections.unmodifiableList(perLabel), hammingLoss(predicted, gold),
        subsetAccuracy(predicted, gold), rocAuc);
  }

  /** {@link #evaluate(float[][], boolean[][], float, List)} with float gold targets ({@code >= 0.5} is positive). */
  public static MetricsReport evaluate(
      float[][] probs, float[][] goldTargets, float threshold, List<String> labelNames) {
    return evaluate(probs, GoldLabels.fromFloatTargets(goldTargets), threshold, labelNames);
  }

  /** {@link #evaluate(float[][], boolean[][], float[], List)} with float gold targets ({@code >= 0.5} is positive). */
  public static MetricsReport evaluate(
      float[][] probs, float[][] goldTargets, float[] thresholds, List<String> labelNames) {
    return evaluate(probs, GoldLabels.fromFloatTargets(goldTargets), thresholds, labelNames);
  }

  /**
   * Per-label confusion counts.
   *
   * @param predicted {@code [N][L]} predictions
   * @param gold {@code [N][L]} gold labels, same shape
   * @return {@code [L]} counts
   */
  public static ConfusionCounts[] confusionCounts(boolean[][] predicted, boolean[][] gold) {
    checkSameShape(predicted, gold);
    int numLabels = predicted.length == 0 ? 0 : predicted[0].length;
    long[] tp = new long[numLabels];
    long[] fp = new long[numLabels];
    long[] fn = new long[numLabels];
    long[] tn = new long[numLabels];
    for (int i = 0; i < predicted.length; i++) {
      for (int l = 0; l < numLabels; l++) {
        if (predicted[i][l]) {
          if (gold[i][l]) {
            tp[l]++;
          } else {
            fp[l]++;
          }
        } else if (gold[i][l]) {
          fn[l]++;
        } else {
          tn[l]++;
        }
      }
    }
    ConfusionCounts[] counts = new ConfusionCounts[numLabels];
    for (int l = 0; l < numLabels; l++) {
      counts[l] = new ConfusionCounts(tp[l], fp[l], fn[l], tn[l]);
    }
    return counts;
  }

  /** Micro average: counts summed over labels, then the ratios. */
  public static AveragedScores micro(ConfusionCounts[] perLabel) {
    long tp = 0;
    long fp = 0;
    long fn = 0;
    long tn = 0;
    for (ConfusionCounts c : perLabel) {
      tp += c.truePositives();
      fp += c.falsePositives();
      fn += c.falseNegatives();
      tn += c.trueNegatives();
    }
    ConfusionCounts total = new ConfusionCounts(tp, fp, fn, tn);
    return new AveragedScores(total.precision(), total.recall(), total.f1());
  }

  /** Macro average: unweighted mean of the per-label ratios over all labels (0 for no labels). */
  public static AveragedScores macro(ConfusionCounts[] perLabel) {
    double precision = 0;
    double recall = 0;
    double f1 = 0;
    for (ConfusionCounts c : perLabel) {
      precision += c.precision();
      recall += c.recall();
      f1 += c.f1();
    }
    int n = perLabel.length;
    return new AveragedScores(
        ConfusionCounts.ratio(precision, n),
        ConfusionCounts.ratio(recall, n),
        ConfusionCounts.ratio(f1, n));
  }

  /** Mean of the per-label ratios weighted by support (gold positives); 0 when no label has any. */
  public static AveragedScores weighted(ConfusionCounts[] perLabel) {
    double precision = 0;
    double recall = 0;
    double f1 = 0;
    long totalSupport = 0;
    for (ConfusionCounts c : perLabel) {
      long support = c.support();
      precision += support * c.precision();
      recall += support * c.recall();
      f1 += support * c.f1();
      totalSupport += support;
    }
    return new AveragedScores(
        ConfusionCounts.ratio(precision, totalSupport),
        ConfusionCounts.ratio(recall, totalSupport),
        ConfusionCounts.ratio(f1, totalSupport));
  }

  /** Fraction of (example, label) cells predicted wrongly: {@code (fp + fn) / (N * L)}. */
  public static double hammingLoss(boolean[][] predicted, boolean[][] gold) {
    checkSameShape(predicted, gold);
    long wrong = 0;
    long cells = 0;
    for (int i = 0; i < predicted.length; i++) {
      for (int l = 0; l < predicted[i].length; l++) {
        if (predicted[i][l] != gold[i][l]) {
          wrong++;
        }
      }
      cells += predicted[i].length;
    }
    return ConfusionCounts.ratio(wrong, cells);
  }

  /** Fraction of examples whose predicted label set equals the gold set exactly. */
  public static double subsetAccuracy(boolean[][] predicted, boolean[][] gold) {
    checkSameShape(predicted, gold);
    long exact = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (Arrays.equals(predicted[i], gold[i])) {
        exact++;
      }
    }
    return ConfusionCounts.ratio(exact, predicted.length);
  }

  private static void checkSameShape(boolean[][] predicted, boolean[][] gold) {
    if (predicted.length != gold.length) {
      throw new IllegalArgumentException(
          predicted.length + " predicted rows but " + gold.length + " gold rows");
    }
    int numLabels = predicted.length == 0 ? 0 : predicted[0].length;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i].length != numLabels || gold[i].length != numLabels) {
        throw new IllegalArgumentException(
            "example " + i + " has " + predicted[i].length + " predictions and "
                + gold[i].length + " gold labels; expected " + numLabels + " of each");
      }
    }
  }

  private static List<String> namesOrDefault(List<String> labelNames, int numLabels) {
    if (labelNames == null) {
      List<String> generated = new ArrayList<>(numLabels);
      for (int l = 0; l < numLabels; l++) {
        generated.add("label_" + l);
      }
      return Collections.unmodifiableList(generated);
    }
    if (labelNames.size() != numLabels) {
      throw new IllegalArgumentException(
          labelNames.size() + " label names for " + numLabels + " labels");
    }
    return List.copyOf(labelNames);
  }
}
