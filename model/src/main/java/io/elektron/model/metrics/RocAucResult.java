package io.elektron.model.metrics;

import java.util.List;

/**
 * Macro ROC-AUC over labels.
 *
 * @param macroAuc mean AUC over the labels that have both classes, or {@code null} when none does
 * @param perLabel {@code [L]} AUC per label, {@code null} entries for skipped labels
 * @param skippedLabels labels skipped because their gold column has only positives or only
 *     negatives (AUC is undefined there)
 */
public record RocAucResult(Double macroAuc, List<Double> perLabel, int skippedLabels) {

  /** Labels that entered the macro average. */
  public int evaluatedLabels() {
    return perLabel.size() - skippedLabels;
  }
}
