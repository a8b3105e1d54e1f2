package io.elektron.model.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Rank-based ROC-AUC (the Mann-Whitney U statistic divided by {@code P * Q}): the probability that
 * a random positive scores above a random negative, counting a tie as one half. Tied scores get the
 * average of the ranks they span, which is exactly that one-half rule.
 */
public final class RocAuc {

  private RocAuc() {}

  /**
   * AUC of one label.
   *
   * @param scores {@code [N]} scores (probabilities or logits: only their order matters)
   * @param gold {@code [N]} gold labels
   * @return the AUC, or {@code null} when {@code gold} holds only one class
   */
  public static Double binary(float[] scores, boolean[] gold) {
    if (scores.length != gold.length) {
      throw new IllegalArgumentException(
          scores.length + " scores but " + gold.length + " gold labels");
    }
    long positives = 0;
    for (boolean g : gold) {
      if (g) {
        positives++;
      }
    }
    long negatives = gold.length - positives;
    if (positives == 0 || negatives == 0) {
      return null;
    }
    int[] order = ScoreOrder.ascending(scores);
    double positiveRankSum = 0;
    int start = 0;
    while (start < order.length) {
      int end = start;
      while (end + 1 < order.length && scores[order[end + 1]] == scores[order[start]]) {
        end++;
      }
      // 1-based ranks start+1 .. end+1 share their mean.
      double averageRank = (start + end + 2) / 2.0;
      for (int k = start; k <= end; k++) {
        if (gold[order[k]]) {
          positiveRankSum += averageRank;
        }
      }
      start = end + 1;
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  /**
   * Per-label AUC and their unweighted mean over the labels that have both classes.
   *
   * @param probs {@code [N][L]} probabilities
   * @param gold {@code [N][L]} gold labels
   */
  public static RocAucResult macro(float[][] probs, boolean[][] gold) {
    int numLabels = MatrixShapes.checkProbsAndGold(probs, gold);
    List<Double> perLabel = new ArrayList<>(numLabels);
    float[] column = new float[probs.length];
    boolean[] goldColumn = new boolean[probs.length];
    double sum = 0;
    int skipped = 0;
    for (int l = 0; l < numLabels; l++) {
      for (int i = 0; i < probs.length; i++) {
        column[i] = probs[i][l];
        goldColumn[i] = gold[i][l];
      }
      Double auc = binary(column, goldColumn);
      perLabel.add(auc);
      if (auc == null) {
        skipped++;
      } else {
        sum += auc;
      }
    }
    Double macroAuc = skipped == numLabels ? null : sum / (numLabels - skipped);
    return new RocAucResult(macroAuc, Collections.unmodifiableList(perLabel), skipped);
  }

  /** {@link #macro(float[][], boolean[][])} with float gold targets (positive when {@code >= 0.5}). */
  public static RocAucResult macro(float[][] probs, float[][] goldTargets) {
    return macro(probs, GoldLabels.fromFloatTargets(goldTargets));
  }
}
