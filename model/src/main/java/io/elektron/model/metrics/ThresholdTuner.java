package io.elektron.model.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses decision thresholds on a dev set, to be applied unchanged to test.
 *
 * <p>Why tune at all: 0.5 is rarely the best cut for sigmoid outputs of an imbalanced multi-label
 * problem (GoEmotions' published baseline uses 0.3), and rare labels often never reach 0.5.
 * Per-label thresholds fit dev more closely and therefore overfit it: report them on test only.
 *
 * <p>Both searches ({@link ThresholdSearch}) break ties toward the threshold closest to 0.5, then
 * toward the lower one.
 */
public final class ThresholdTuner {

  /** Threshold for labels whose dev F1 is 0 everywhere, unless the caller gives another. */
  public static final float DEFAULT_FALLBACK = 0.5f;

  private ThresholdTuner() {}

  /** A global threshold maximising micro F1 over the 0.01..0.99 grid. */
  public static TunedThreshold tuneGlobal(float[][] probs, boolean[][] gold) {
    return tuneGlobal(probs, gold, TuningObjective.MICRO_F1, ThresholdSearch.GRID);
  }

  /**
   * A single threshold for all labels maximising {@code objective} on dev.
   *
   * @param probs {@code [N][L]} dev probabilities
   * @param gold {@code [N][L]} dev gold labels
   */
  public static TunedThreshold tuneGlobal(float[][] probs, boolean[][] gold,
      TuningObjective objective, ThresholdSearch search) {
    int numLabels = MatrixShapes.checkProbsAndGold(probs, gold);
    int cells = probs.length * numLabels;
    float[] values = new float[cells];
    int[] labelOf = new int[cells];
    boolean[] flatGold = new boolean[cells];
    int k = 0;
    for (int i = 0; i < probs.length; i++) {
      for (int l = 0; l < numLabels; l++, k++) {
        values[k] = probs[i][l];
        labelOf[k] = l;
        flatGold[k] = gold[i][l];
      }
    }
    ThresholdSweep.Best best =
        ThresholdSweep.best(values, labelOf, flatGold, numLabels, objective, search);
    return new TunedThreshold(best.threshold(), objective, best.score());
  }

  /** {@link #tuneGlobal(float[][], boolean[][], TuningObjective, ThresholdSearch)} with float gold targets. */
  public static TunedThreshold tuneGlobal(float[][] probs, float[][] goldTargets,
      TuningObjective objective, ThresholdSearch search) {
    return tuneGlobal(probs, GoldLabels.fromFloatTargets(goldTargets), objective, search);
  }

  /** Per-label thresholds with fallback {@value #DEFAULT_FALLBACK}. */
  public static PerLabelThresholds tunePerLabel(
      float[][] probs, boolean[][] gold, ThresholdSearch search) {
    return tunePerLabel(probs, gold, search, DEFAULT_FALLBACK);
  }

  /**
   * One threshold per label, each maximising that label's dev F1. A label whose best dev F1 is 0
   * (no gold positives in dev, or none reachable) gets {@code fallback} — a tuned global threshold
   * is a sensible choice — since dev says nothing about where its cut should be.
   *
   * @param probs {@code [N][L]} dev probabilities
   * @param gold {@code [N][L]} dev gold labels
   */
  public static PerLabelThresholds tunePerLabel(
      float[][] probs, boolean[][] gold, ThresholdSearch search, float fallback) {
    int numLabels = MatrixShapes.checkProbsAndGold(probs, gold);
    float[] thresholds = new float[numLabels];
    double[] devF1 = new double[numLabels];
    List<Integer> fallbackLabels = new ArrayList<>();
    float[] column = new float[probs.length];
    boolean[] goldColumn = new boolean[probs.length];
    int[] singleLabel = new int[probs.length];
    for (int l = 0; l < numLabels; l++) {
      for (int i = 0; i < probs.length; i++) {
        column[i] = probs[i][l];
        goldColumn[i] = gold[i][l];
      }
      // With one label, micro F1 is that label's F1.
      ThresholdSweep.Best best = ThresholdSweep.best(
          column, singleLabel, goldColumn, 1, TuningObjective.MICRO_F1, search);
      if (best.score() > 0) {
        thresholds[l] = best.threshold();
        devF1[l] = best.score();
      } else {
        thresholds[l] = fallback;
        devF1[l] = 0.0;
        fallbackLabels.add(l);
      }
    }
    return new PerLabelThresholds(thresholds, devF1, fallbackLabels);
  }

  /** {@link #tunePerLabel(float[][], boolean[][], ThresholdSearch, float)} with float gold targets. */
  public static PerLabelThresholds tunePerLabel(
      float[][] probs, float[][] goldTargets, ThresholdSearch search, float fallback) {
    return tunePerLabel(probs, GoldLabels.fromFloatTargets(goldTargets), search, fallback);
  }
}
