package io.elektron.model.metrics;

/**
 * One row of the per-label table.
 *
 * @param label label name
 * @param threshold the threshold this label was decided at
 * @param counts confusion counts at that threshold
 * @param precision {@code counts.precision()}
 * @param recall {@code counts.recall()}
 * @param f1 {@code counts.f1()}
 * @param support gold positives
 * @param rocAuc this label's ROC-AUC, or {@code null} when the label has only one gold class
 */
public record LabelScores(
    String label,
    float threshold,
    ConfusionCounts counts,
    double precision,
    double recall,
    double f1,
    long support,
    Double rocAuc) {}
