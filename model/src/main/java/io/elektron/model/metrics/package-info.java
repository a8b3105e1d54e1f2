/**
 * Multi-label classification metrics computed from predicted probabilities and gold labels, plus
 * threshold tuning on a dev set.
 *
 * <p>Shapes: {@code probs} is {@code [N][L]} (N examples, L labels), gold labels are
 * {@code boolean[N][L]} or {@code float[N][L]}. Conventions used everywhere in this package:
 *
 * <ul>
 *   <li><b>Decision rule.</b> A label is predicted positive when {@code prob >= threshold} (the
 *       convention of sklearn's {@code precision_recall_curve}); see {@link
 *       io.elektron.model.metrics.DecisionRule}.
 *   <li><b>Float gold labels.</b> A gold value {@code >= 0.5} is a positive, so 0/1 floats (the BCE
 *       targets) and smoothed targets such as 0.95/0.05 both work; see {@link
 *       io.elektron.model.metrics.GoldLabels}.
 *   <li><b>Zero denominators.</b> Every ratio whose denominator is 0 is 0 (sklearn's {@code
 *       zero_division=0}): precision with no predicted positives, recall with no gold positives, F1
 *       with neither, a weighted average with zero total support.
 *   <li><b>Macro averages</b> are unweighted means over <em>all</em> L labels, including labels with
 *       no gold positives in the evaluated set (they contribute 0, as in sklearn). This is why macro
 *       F1 is the number that rare labels move.
 *   <li><b>ROC-AUC</b> is rank based (Mann-Whitney), ties get average ranks; labels whose gold
 *       column holds only one class are skipped and counted.
 * </ul>
 *
 * <p>Typical use: tune on dev with {@link io.elektron.model.metrics.ThresholdTuner}, then evaluate
 * test with the tuned thresholds via {@link io.elektron.model.metrics.MultiLabelMetrics} — never tune
 * on the set you report (per-label thresholds overfit dev).
 */
package io.elektron.model.metrics;
