package io.elektron.model.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void jsonHoldsEverything() throws Exception {
    MetricsReport report = MultiLabelMetrics.evaluate(MultiLabelMetricsTest.PROBS,
        MultiLabelMetricsTest.GOLD, 0.5f, MultiLabelMetricsTest.NAMES);
    JsonNode json = JSON.readTree(report.toJson());
    assertEquals(4, json.get("num_examples").intValue());
    assertEquals(3, json.get("num_labels").intValue());
    assertEquals(0.5, json.get("threshold").doubleValue(), 1e-9);
    assertEquals(3, json.get("thresholds").size());
    // Values from MultiLabelMetricsTest.fourExamplesThreeLabelsAtHalf.
    assertEquals(8.0 / 11.0, json.get("micro").get("f1").doubleValue(), 1e-12);
    assertEquals(13.0 / 18.0, json.get("macro").get("f1").doubleValue(), 1e-12);
    assertEquals(11.0 / 15.0, json.get("weighted").get("f1").doubleValue(), 1e-12);
    assertEquals(0.25, json.get("hamming_loss").doubleValue(), 1e-12);
    assertEquals(0.25, json.get("subset_accuracy").doubleValue(), 1e-12);
    assertEquals(5.0 / 6.0, json.get("roc_auc").get("macro").doubleValue(), 1e-12);
    assertEquals(0, json.get("roc_auc").get("skipped_labels").intValue());
    JsonNode b = json.get("per_label").get(1);
    assertEquals("b", b.get("label").textValue());
    assertEquals(1, b.get("support").intValue());
    assertEquals(1, b.get("false_positives").intValue());
    assertEquals(2.0 / 3.0, b.get("f1").doubleValue(), 1e-12);
  }

  @Test
  void undefinedAucIsNullAndPerLabelThresholdIsNull() throws Exception {
    float[][] probs = {{0.9f, 0.1f}, {0.2f, 0.3f}};
    boolean[][] gold = {{false, false}, {false, false}};
    MetricsReport report =
        MultiLabelMetrics.evaluate(probs, gold, new float[] {0.4f, 0.6f}, List.of("x", "y"));
    String text = report.toJson();
    assertTrue(!text.contains("NaN"), text);
    JsonNode json = JSON.readTree(text);
    assertTrue(json.get("roc_auc").get("macro").isNull());
    assertTrue(json.get("per_label").get(0).get("roc_auc").isNull());
    assertTrue(json.get("threshold").isNull());
    assertEquals(2, json.get("roc_auc").get("skipped_labels").intValue());
  }

  @Test
  void textTableNamesLabelsAndAverages() {
    MetricsReport report = MultiLabelMetrics.evaluate(MultiLabelMetricsTest.PROBS,
        MultiLabelMetricsTest.GOLD, 0.5f, List.of("admiration", "b", "c"));
    String text = report.toText();
    // micro F1 8/11 = 0.72727... -> 0.7273; macro F1 13/18 = 0.7222...
    assertTrue(text.contains("threshold: 0.50"), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("micro") && l.contains("0.7273")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("macro") && l.contains("0.7222")), text);
    assertTrue(text.lines().anyMatch(l -> l.startsWith("admiration")), text);
    assertTrue(text.contains("hamming loss: 0.2500"), text);
    assertTrue(text.contains("macro ROC-AUC: 0.8333 (3 labels evaluated, 0 skipped"), text);
  }
}
