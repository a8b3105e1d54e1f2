package io.elektron.model.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected values are derived by hand in the comments, never by running the code under test. */
class MultiLabelMetricsTest {

  private static final double EPS = 1e-12;

  // 4 examples x 3 labels.
  //            label:   a     b     c
  static final float[][] PROBS = {
      {0.9f, 0.2f, 0.6f},
      {0.4f, 0.7f, 0.1f},
      {0.8f, 0.3f, 0.5f},
      {0.1f, 0.6f, 0.3f}};
  static final boolean[][] GOLD = {
      {true, false, true},
      {false, true, true},
      {true, false, false},
      {false, false, false}};
  static final List<String> NAMES = List.of("a", "b", "c");

  @Test
  void fourExamplesThreeLabelsAtHalf() {
    // Predictions at 0.5 (prob >= 0.5; 0.5f is exact, so row 2 predicts c):
    //   row0 [1,0,1]  row1 [0,1,0]  row2 [1,0,1]  row3 [0,1,0]
    // a: gold [1,0,1,0] pred [1,0,1,0] -> tp2 fp0 fn0: P 1, R 1, F1 1, support 2
    // b: gold [0,1,0,0] pred [0,1,0,1] -> tp1 fp1 fn0: P 1/2, R 1, F1 2/(2+1) = 2/3, support 1
    // c: gold [1,1,0,0] pred [1,0,1,0] -> tp1 fp1 fn1: P 1/2, R 1/2, F1 2/4 = 1/2, support 2
    MetricsReport report = MultiLabelMetrics.evaluate(PROBS, GOLD, 0.5f, NAMES);

    LabelScores a = report.perLabel().get(0);
    assertEquals("a", a.label());
    assertEquals(new ConfusionCounts(2, 0, 0, 2), a.counts());
    assertEquals(1.0, a.precision(), EPS);
    assertEquals(1.0, a.recall(), EPS);
    assertEquals(1.0, a.f1(), EPS);
    assertEquals(2, a.support());
    LabelScores b = report.perLabel().get(1);
    assertEquals(new ConfusionCounts(1, 1, 0, 2), b.counts());
    assertEquals(0.5, b.precision(), EPS);
    assertEquals(1.0, b.recall(), EPS);
    assertEquals(2.0 / 3.0, b.f1(), EPS);
    assertEquals(1, b.support());
    LabelScores c = report.perLabel().get(2);
    assertEquals(new ConfusionCounts(1, 1, 1, 1), c.counts());
    assertEquals(0.5, c.precision(), EPS);
    assertEquals(0.5, c.recall(), EPS);
    assertEquals(0.5, c.f1(), EPS);
    assertEquals(2, c.support());

    // micro: tp 4, fp 2, fn 1 -> P 4/6, R 4/5, F1 8/(8+2+1) = 8/11
    assertEquals(4.0 / 6.0, report.micro().precision(), EPS);
    assertEquals(4.0 / 5.0, report.micro().recall(), EPS);
    assertEquals(8.0 / 11.0, report.micro().f1(), EPS);
    // macro: P (1 + 1/2 + 1/2)/3 = 2/3, R (1 + 1 + 1/2)/3 = 5/6, F1 (1 + 2/3 + 1/2)/3 = 13/18
    assertEquals(2.0 / 3.0, report.macro().precision(), EPS);
    assertEquals(5.0 / 6.0, report.macro().recall(), EPS);
    assertEquals(13.0 / 18.0, report.macro().f1(), EPS);
    // weighted by support 2,1,2 (total 5): P (2 + 1/2 + 1)/5 = 7/10, R (2 + 1 + 1)/5 = 4/5,
    // F1 (2 + 2/3 + 1)/5 = 11/15
    assertEquals(0.7, report.weighted().precision(), EPS);
    assertEquals(0.8, report.weighted().recall(), EPS);
    assertEquals(11.0 / 15.0, report.weighted().f1(), EPS);
    // Hamming: fp + fn = 2 + 1 = 3 wrong cells of 12
    assertEquals(3.0 / 12.0, report.hammingLoss(), EPS);
    // Exact match: only row 0
    assertEquals(1.0 / 4.0, report.subsetAccuracy(), EPS);
    // AUC, by pair counting (positive above negative = 1, tie = 1/2):
    // a: pos {0.9, 0.8} vs neg {0.4, 0.1}: 4/4 = 1
    // b: pos {0.7} vs neg {0.2, 0.3, 0.6}: 3/3 = 1
    // c: pos {0.6, 0.1} vs neg {0.5, 0.3}: 0.6 wins twice, 0.1 loses twice: 2/4 = 1/2
    // macro = (1 + 1 + 1/2)/3 = 5/6
    assertEquals(5.0 / 6.0, report.rocAuc().macroAuc(), EPS);
    assertEquals(0, report.rocAuc().skippedLabels());
    assertEquals(0.5, report.perLabel().get(2).rocAuc(), EPS);

    assertEquals(4, report.numExamples());
    assertEquals(3, report.numLabels());
    assertEquals(0.5f, report.globalThreshold());
  }

  @Test
  void perLabelThresholds() {
    // thresholds a 0.5, b 0.65, c 0.55
    // a: unchanged: tp2 fp0 fn0, F1 1
    // b: probs [0.2,0.7,0.3,0.6] >= 0.65 -> [0,1,0,0] = gold: tp1 fp0 fn0, F1 1
    // c: probs [0.6,0.1,0.5,0.3] >= 0.55 -> [1,0,0,0]; gold [1,1,0,0]: tp1 fp0 fn1, P 1, R 1/2,
    //    F1 2/3
    // micro: tp4 fp0 fn1 -> F1 8/9; macro F1 (1 + 1 + 2/3)/3 = 8/9
    // Hamming 1/12; exact match rows 0, 2, 3 -> 3/4
    float[] thresholds = {0.5f, 0.65f, 0.55f};
    MetricsReport report = MultiLabelMetrics.evaluate(PROBS, GOLD, thresholds, NAMES);
    assertEquals(2.0 / 3.0, report.perLabel().get(2).f1(), EPS);
    assertEquals(1.0, report.perLabel().get(2).precision(), EPS);
    assertEquals(8.0 / 9.0, report.micro().f1(), EPS);
    assertEquals(8.0 / 9.0, report.macro().f1(), EPS);
    assertEquals(1.0 / 12.0, report.hammingLoss(), EPS);
    assertEquals(0.75, report.subsetAccuracy(), EPS);
    assertNull(report.globalThreshold());
    assertArrayEquals(thresholds, report.thresholds());
    assertEquals(0.65f, report.perLabel().get(1).threshold());
  }

  @Test
  void floatTargetsGiveTheSameReportAsBooleans() {
    float[][] targets = new float[GOLD.length][GOLD[0].length];
    for (int i = 0; i < GOLD.length; i++) {
      for (int l = 0; l < GOLD[i].length; l++) {
        // Smoothed targets: still >= 0.5 exactly where gold is true.
        targets[i][l] = GOLD[i][l] ? 0.95f : 0.05f;
      }
    }
    assertEquals(MultiLabelMetrics.evaluate(PROBS, GOLD, 0.5f, NAMES),
        MultiLabelMetrics.evaluate(PROBS, targets, 0.5f, NAMES));
  }

  @Test
  void noGoldPositivesGivesZerosNotNaN() {
    // gold all negative; preds at 0.5: [[1,0],[0,0]]
    // label 0: tp0 fp1 fn0 -> P 0/1 = 0, R 0/0 -> 0, F1 0/1 = 0
    // label 1: tp0 fp0 fn0 -> every ratio 0/0 -> 0
    // weighted: total support 0 -> 0. Hamming 1/4. Exact match: row 1 only -> 1/2.
    // AUC: both labels have one class -> skipped, macro undefined (null).
    float[][] probs = {{0.9f, 0.1f}, {0.2f, 0.3f}};
    boolean[][] gold = {{false, false}, {false, false}};
    MetricsReport report = MultiLabelMetrics.evaluate(probs, gold, 0.5f, null);
    assertEquals(new AveragedScores(0, 0, 0), report.micro());
    assertEquals(new AveragedScores(0, 0, 0), report.macro());
    assertEquals(new AveragedScores(0, 0, 0), report.weighted());
    assertEquals(0.25, report.hammingLoss(), EPS);
    assertEquals(0.5, report.subsetAccuracy(), EPS);
    assertNull(report.rocAuc().macroAuc());
    assertEquals(2, report.rocAuc().skippedLabels());
    assertEquals(List.of("label_0", "label_1"), report.labelNames());
  }

  @Test
  void allGoldPositives() {
    // gold all positive; preds at 0.5: [[1,0],[1,1]]
    // label 0: tp2 fn0 -> P 1, R 1, F1 1; label 1: tp1 fn1 fp0 -> P 1, R 1/2, F1 2/3
    // micro: tp3 fp0 fn1 -> P 1, R 3/4, F1 6/7; Hamming 1/4; exact match row 1 -> 1/2
    float[][] probs = {{0.9f, 0.4f}, {0.6f, 0.7f}};
    boolean[][] gold = {{true, true}, {true, true}};
    MetricsReport report = MultiLabelMetrics.evaluate(probs, gold, 0.5f, null);
    assertEquals(1.0, report.micro().precision(), EPS);
    assertEquals(0.75, report.micro().recall(), EPS);
    assertEquals(6.0 / 7.0, report.micro().f1(), EPS);
    assertEquals((1.0 + 2.0 / 3.0) / 2.0, report.macro().f1(), EPS);
    assertEquals(0.25, report.hammingLoss(), EPS);
    assertEquals(0.5, report.subsetAccuracy(), EPS);
    assertEquals(2, report.rocAuc().skippedLabels());
  }

  @Test
  void rejectsBadShapesAndNaN() {
    assertThrows(IllegalArgumentException.class,
        () -> MultiLabelMetrics.evaluate(new float[][] {{0.1f, 0.2f}}, new boolean[][] {{true}},
            0.5f, null));
    assertThrows(IllegalArgumentException.class,
        () -> MultiLabelMetrics.evaluate(new float[][] {{Float.NaN}}, new boolean[][] {{true}},
            0.5f, null));
    assertThrows(IllegalArgumentException.class,
        () -> MultiLabelMetrics.evaluate(PROBS, GOLD, new float[] {0.5f}, NAMES));
    assertThrows(IllegalArgumentException.class,
        () -> MultiLabelMetrics.evaluate(PROBS, GOLD, 0.5f, List.of("only one name")));
    assertThrows(IllegalArgumentException.class,
        () -> MultiLabelMetrics.evaluate(new float[0][], new boolean[0][], 0.5f, null));
  }

  @Test
  void decisionRuleIsInclusive() {
    assertEquals(true, DecisionRule.isPositive(0.3f, 0.3f));
    assertEquals(false, DecisionRule.isPositive(Math.nextDown(0.3f), 0.3f));
  }
}
