package io.elektron.model.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything {@link MultiLabelMetrics#evaluate} measured on one set, renderable as JSON (for files
 * and tools) or as a plain-text table (for the CLI).
 *
 * @param numExamples N
 * @param labelNames {@code [L]} label names
 * @param thresholds {@code [L]} the threshold each label was decided at (all equal for a global
 *     threshold)
 * @param micro counts summed over labels, then ratios
 * @param macro unweighted mean over all labels
 * @param weighted mean weighted by support
 * @param perLabel {@code [L]} per-label rows
 * @param hammingLoss fraction of wrong (example, label) cells
 * @param subsetAccuracy fraction of examples with exactly the gold label set
 * @param rocAuc macro ROC-AUC and per-label AUC (threshold independent)
 */
public record MetricsReport(
    int numExamples,
    List<String> labelNames,
    float[] thresholds,
    AveragedScores micro,
    AveragedScores macro,
    AveragedScores weighted,
    List<LabelScores> perLabel,
    double hammingLoss,
    double subsetAccuracy,
    RocAucResult rocAuc) {

  // One mapper for all reports: ObjectMapper is thread-safe once configured.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public MetricsReport {
    labelNames = List.copyOf(labelNames);
    perLabel = List.copyOf(perLabel);
    thresholds = thresholds.clone();
  }

  /** The per-label thresholds (a copy). */
  @Override
  public float[] thresholds() {
    return thresholds.clone();
  }

  /** L. */
  public int numLabels() {
    return labelNames.size();
  }

  /** The common threshold when every label used the same one, otherwise {@code null}. */
  public Float globalThreshold() {
    for (float t : thresholds) {
      if (Float.compare(t, thresholds[0]) != 0) {
        return null;
      }
    }
    return thresholds.length == 0 ? null : thresholds[0];
  }

  /**
   * The report as an indented JSON object with snake_case keys: {@code num_examples, num_labels,
   * threshold} (null when per-label), {@code thresholds, micro, macro, weighted} (each {@code
   * {precision, recall, f1}}), {@code hamming_loss, subset_accuracy, roc_auc} ({@code {macro,
   * evaluated_labels, skipped_labels}}) and {@code per_label} (one object per label). An undefined
   * AUC is {@code null}, never NaN, so any JSON parser reads the file.
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("num_examples", numExamples);
    root.put("num_labels", numLabels());
    Float global = globalThreshold();
    if (global == null) {
      root.putNull("threshold");
    } else {
      root.put("threshold", global);
    }
    ArrayNode thresholdArray = root.putArray("thresholds");
    for (float t : thresholds) {
      thresholdArray.add(t);
    }
    putScores(root.putObject("micro"), micro);
    putScores(root.putObject("macro"), macro);
    putScores(root.putObject("weighted"), weighted);
    root.put("hamming_loss", hammingLoss);
    root.put("subset_accuracy", subsetAccuracy);
    ObjectNode auc = root.putObject("roc_auc");
    auc.put("macro", rocAuc.macroAuc());
    auc.put("evaluated_labels", rocAuc.evaluatedLabels());
    auc.put("skipped_labels", rocAuc.skippedLabels());
    ArrayNode rows = root.putArray("per_label");
    for (LabelScores row : perLabel) {
      ObjectNode node = rows.addObject();
      node.put("label", row.label());
      node.put("threshold", row.threshold());
      node.put("precision", row.precision());
      node.put("recall", row.recall());
      node.put("f1", row.f1());
      node.put("support", row.support());
      node.put("true_positives", row.counts().truePositives());
      node.put("false_positives", row.counts().falsePositives());
      node.put("false_negatives", row.counts().falseNegatives());
      node.put("roc_auc", row.rocAuc());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      // A tree of numbers and strings always serialises; reaching this is a bug.
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A plain-text rendering for terminals: a summary block (averages, Hamming loss, subset accuracy,
   * macro ROC-AUC) followed by the per-label table. Numbers use a fixed {@code Locale.ROOT} format
   * so the output does not change with the user's locale.
   */
  public String toText() {
    int nameWidth = "weighted".length();
    for (String name : labelNames) {
      nameWidth = Math.max(nameWidth, name.length());
    }
    StringBuilder out = new StringBuilder();
    Float global = globalThreshold();
    out.append(String.format(Locale.ROOT, "examples: %d   labels: %d   threshold: %s%n",
        numExamples, numLabels(),
        global == null ? "per-label" : String.format(Locale.ROOT, "%.2f", global)));
    out.append('\n');
    String averageRow = "%-" + nameWidth + "s  %9s  %9s  %9s%n";
    out.append(String.format(Locale.ROOT, averageRow, "average", "precision", "recall", "f1"));
    appendAverage(out, averageRow, "micro", micro);
    appendAverage(out, averageRow, "macro", macro);
    appendAverage(out, averageRow, "weighted", weighted);
    out.append('\n');
    out.append(String.format(Locale.ROOT, "hamming loss: %.4f   subset accuracy: %.4f%n",
        hammingLoss, subsetAccuracy));
    out.append(String.format(Locale.ROOT, "macro ROC-AUC: %s (%d labels evaluated, %d skipped: "
            + "only one class present)%n",
        formatNullable(rocAuc.macroAuc()), rocAuc.evaluatedLabels(), rocAuc.skippedLabels()));
    out.append('\n');
    String labelRow = "%-" + nameWidth + "s  %9s  %9s  %9s  %9s  %9s  %9s%n";
    out.append(String.format(Locale.ROOT, labelRow,
        "label", "threshold", "precision", "recall", "f1", "support", "roc_auc"));
    for (LabelScores row : perLabel) {
      out.append(String.format(Locale.ROOT, labelRow,
          row.label(),
          String.format(Locale.ROOT, "%.4f", row.threshold()),
          String.format(Locale.ROOT, "%.4f", row.precision()),
          String.format(Locale.ROOT, "%.4f", row.recall()),
          String.format(Locale.ROOT, "%.4f", row.f1()),
          Long.toString(row.support()),
          formatNullable(row.rocAuc())));
    }
    return out.toString();
  }

  /** Value equality, comparing {@code thresholds} by content (a record would compare the reference). */
  @Override
  public boolean equals(Object other) {
    return other instanceof MetricsReport that
        && numExamples == that.numExamples
        && labelNames.equals(that.labelNames)
        && Arrays.equals(thresholds, that.thresholds)
        && micro.equals(that.micro)
        && macro.equals(that.macro)
        && weighted.equals(that.weighted)
        && perLabel.equals(that.perLabel)
        && Double.compare(hammingLoss, that.hammingLoss) == 0
        && Double.compare(subsetAccuracy, that.subsetAccuracy) == 0
        && rocAuc.equals(that.rocAuc);
  }

  @Override
  public int hashCode() {
    return Objects.hash(numExamples, labelNames, Arrays.hashCode(thresholds), micro, macro,
        weighted, perLabel, hammingLoss, subsetAccuracy, rocAuc);
  }

  @Override
  public String toString() {
    return "MetricsReport[numExamples=" + numExamples + ", numLabels=" + numLabels()
        + ", thresholds=" + Arrays.toString(thresholds) + ", micro=" + micro + ", macro=" + macro
        + ", weighted=" + weighted + ", hammingLoss=" + hammingLoss + ", subsetAccuracy="
        + subsetAccuracy + ", rocAuc=" + rocAuc.macroAuc() + "]";
  }

  private static void putScores(ObjectNode node, AveragedScores scores) {
    node.put("precision", scores.precision());
    node.put("recall", scores.recall());
    node.put("f1", scores.f1());
  }

  private static void appendAverage(
      StringBuilder out, String format, String name, AveragedScores scores) {
    out.append(String.format(Locale.ROOT, format, name,
        String.format(Locale.ROOT, "%.4f", scores.precision()),
        String.format(Locale.ROOT, "%.4f", scores.recall()),
        String.format(Locale.ROOT, "%.4f", scores.f1())));
  }

  private static String formatNullable(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }
}
