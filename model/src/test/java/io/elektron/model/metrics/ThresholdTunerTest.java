package io.elektron.model.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected thresholds and scores are derived by hand in the comments. */
class ThresholdTunerTest {

  private static final double EPS = 1e-9;

  /** One label as an [N][1] matrix. */
  private static float[][] column(float... values) {
    float[][] matrix = new float[values.length][1];
    for (int i = 0; i < values.length; i++) {
      matrix[i][0] = values[i];
    }
    return matrix;
  }

  private static boolean[][] column(boolean... values) {
    boolean[][] matrix = new boolean[values.length][1];
    for (int i = 0; i < values.length; i++) {
      matrix[i][0] = values[i];
    }
    return matrix;
  }

  @Test
  void perLabelBestIntervalBelowHalf() {
    // probs [0.9, 0.6, 0.35, 0.2], gold [1, 0, 1, 0]. Prediction sets by threshold t:
    //   t in (0.9, inf):   {}                 F1 0
    //   t in (0.6, 0.9]:   {0.9}              tp1 fp0 fn1 -> 2/(2+0+1) = 2/3
    //   t in (0.35, 0.6]:  {0.9, 0.6}         tp1 fp1 fn1 -> 2/4 = 1/2
    //   t in (0.2, 0.35]:  {0.9, 0.6, 0.35}   tp2 fp1 fn0 -> 4/5
    //   t in (-inf, 0.2]:  all                tp2 fp2 fn0 -> 4/6
    // Best 4/5 on (0.2, 0.35]; closest point to 0.5 is 0.35 (grid and exact search alike).
    float[][] probs = column(0.9f, 0.6f, 0.35f, 0.2f);
    boolean[][] gold = column(true, false, true, false);
    for (ThresholdSearch search : ThresholdSearch.values()) {
      PerLabelThresholds tuned = ThresholdTuner.tunePerLabel(probs, gold, search);
      assertEquals(0.35f, tuned.thresholds()[0], search.toString());
      assertEquals(0.8, tuned.devF1()[0], EPS);
      assertEquals(List.of(), tuned.fallbackLabels());
    }
  }

  @Test
  void perLabelBestIntervalAboveHalf() {
    // probs [0.9, 0.7, 0.1], gold [1, 0, 0]: F1 = 1 only for t in (0.7, 0.9].
    // Grid: the grid point closest to 0.5 in that interval is 0.71.
    // Exact: the interval's open lower end is 0.7, so the closest threshold is nextUp(0.7f).
    float[][] probs = column(0.9f, 0.7f, 0.1f);
    boolean[][] gold = column(true, false, false);
    PerLabelThresholds grid = ThresholdTuner.tunePerLabel(probs, gold, ThresholdSearch.GRID);
    assertEquals(0.71f, grid.thresholds()[0]);
    assertEquals(1.0, grid.devF1()[0], EPS);
    PerLabelThresholds exact =
        ThresholdTuner.tunePerLabel(probs, gold, ThresholdSearch.DISTINCT_PROBABILITIES);
    assertEquals(Math.nextUp(0.7f), exact.thresholds()[0]);
  }

  @Test
  void perLabelTieIncludesHalf() {
    // probs [0.8, 0.2], gold [1, 0]: F1 = 1 for every t in (0.2, 0.8], which contains 0.5.
    float[][] probs = column(0.8f, 0.2f);
    boolean[][] gold = column(true, false);
    for (ThresholdSearch search : ThresholdSearch.values()) {
      assertEquals(0.5f, ThresholdTuner.tunePerLabel(probs, gold, search).thresholds()[0]);
    }
  }

  @Test
  void labelWithoutDevPositivesGetsFallback() {
    // label 0: probs [0.9, 0.3], gold [1, 0] -> F1 1 on (0.3, 0.9] -> 0.5
    // label 1: no gold positive: F1 0 at every threshold -> fallback
    float[][] probs = {{0.9f, 0.8f}, {0.3f, 0.1f}};
    boolean[][] gold = {{true, false}, {false, false}};
    PerLabelThresholds defaults =
        ThresholdTuner.tunePerLabel(probs, gold, ThresholdSearch.GRID);
    assertArrayEquals(new float[] {0.5f, 0.5f}, defaults.thresholds());
    assertEquals(List.of(1), defaults.fallbackLabels());
    PerLabelThresholds custom = ThresholdTuner.tunePerLabel(
        probs, gold, ThresholdSearch.DISTINCT_PROBABILITIES, 0.3f);
    assertArrayEquals(new float[] {0.5f, 0.3f}, custom.thresholds());
    assertArrayEquals(new double[] {1.0, 0.0}, custom.devF1(), EPS);
  }

  // Two labels where micro and macro F1 disagree. A is frequent, B rare with a low-scored positive.
  //   A probs [0.9, 0.8, 0.7, 0.5, 0.45, 0.4], gold [1, 1, 1, 0, 0, 0]
  //   B probs [0.3, 0.1, 0.1, 0.1, 0.1, 0.1],  gold [1, 0, 0, 0, 0, 0]
  // Per interval of t (A counts; B counts) -> micro F1, macro F1, weighted F1 (support 3, 1):
  //   (0.9, inf)   A tp0 fn3;      B tp0 fn1 -> 0,            0,                 0
  //   (0.8, 0.9]   A tp1 fn2 (1/2);  B 0     -> tp1 fn3: 2/5,   1/4,               3/8
  //   (0.7, 0.8]   A tp2 fn1 (4/5);  B 0     -> tp2 fn2: 4/6,   2/5,               3/5
  //   (0.5, 0.7]   A tp3 (1);        B 0     -> tp3 fn1: 6/7,   1/2,               3/4
  //   (0.45, 0.5]  A tp3 fp1 (6/7);  B 0     -> tp3 fp1 fn1: 6/8, 3/7,             9/14
  //   (0.4, 0.45]  A tp3 fp2 (6/8);  B 0     -> tp3 fp2 fn1: 6/9, 3/8,             9/16
  //   (0.3, 0.4]   A tp3 fp3 (6/9);  B 0     -> tp3 fp3 fn1: 6/10, 1/3,            1/2
  //   (0.1, 0.3]   A tp3 fp3 (2/3);  B tp1 (1) -> tp4 fp3: 8/11, (2/3 + 1)/2 = 5/6, (2 + 1)/4 = 3/4
  //   (-inf, 0.1]  A tp3 fp3 (2/3);  B tp1 fp5 (2/7) -> tp4 fp8: 8/16, 10/21,     4/7
  // micro: best 6/7 on (0.5, 0.7]: grid -> 0.51, exact -> nextUp(0.5f)
  // macro: best 5/6 on (0.1, 0.3]: grid and exact -> 0.3
  // weighted: 3/4 on both (0.5, 0.7] and (0.1, 0.3]: the tie goes to the point closest to 0.5.
  static final float[][] PROBS = {
      {0.9f, 0.3f}, {0.8f, 0.1f}, {0.7f, 0.1f}, {0.5f, 0.1f}, {0.45f, 0.1f}, {0.4f, 0.1f}};
  static final boolean[][] GOLD = {
      {true, true}, {true, false}, {true, false}, {false, false}, {false, false}, {false, false}};

  @Test
  void globalMicroF1() {
    TunedThreshold grid = ThresholdTuner.tuneGlobal(PROBS, GOLD);
    assertEquals(0.51f, grid.threshold());
    assertEquals(6.0 / 7.0, grid.devScore(), EPS);
    assertEquals(TuningObjective.MICRO_F1, grid.objective());
    TunedThreshold exact = ThresholdTuner.tuneGlobal(
        PROBS, GOLD, TuningObjective.MICRO_F1, ThresholdSearch.DISTINCT_PROBABILITIES);
    assertEquals(Math.nextUp(0.5f), exact.threshold());
    assertEquals(6.0 / 7.0, exact.devScore(), EPS);
  }

  @Test
  void globalMacroF1FavoursTheRareLabel() {
    for (ThresholdSearch search : ThresholdSearch.values()) {
      TunedThreshold tuned =
          ThresholdTuner.tuneGlobal(PROBS, GOLD, TuningObjective.MACRO_F1, search);
      assertEquals(0.3f, tuned.threshold(), search.toString());
      assertEquals(5.0 / 6.0, tuned.devScore(), EPS);
    }
  }

  @Test
  void globalWeightedF1TieGoesTowardHalf() {
    TunedThreshold grid =
        ThresholdTuner.tuneGlobal(PROBS, GOLD, TuningObjective.WEIGHTED_F1, ThresholdSearch.GRID);
    assertEquals(0.51f, grid.threshold());
    assertEquals(0.75, grid.devScore(), EPS);
  }

  @Test
  void tunedThresholdsApplyToTest() {
    // Tune per label on dev (the two-label set above), apply to a "test" set.
    // Dev, label A: best F1 1 on (0.5, 0.7] -> grid 0.51; label B: F1 1 on (0.1, 0.3] -> 0.3.
    // Test: A probs [0.6, 0.52, 0.5] gold [1, 1, 0] -> at 0.51: {0.6, 0.52}: tp2 -> F1 1
    //       B probs [0.35, 0.2, 0.31] gold [0, 0, 1] -> at 0.3: {0.35, 0.31}: tp1 fp1 -> F1 2/3
    PerLabelThresholds tuned = ThresholdTuner.tunePerLabel(PROBS, GOLD, ThresholdSearch.GRID);
    assertArrayEquals(new float[] {0.51f, 0.3f}, tuned.thresholds());
    float[][] testProbs = {{0.6f, 0.35f}, {0.52f, 0.2f}, {0.5f, 0.31f}};
    boolean[][] testGold = {{true, false}, {true, false}, {false, true}};
    MetricsReport report =
        MultiLabelMetrics.evaluate(testProbs, testGold, tuned.thresholds(), List.of("A", "B"));
    assertEquals(1.0, report.perLabel().get(0).f1(), EPS);
    assertEquals(2.0 / 3.0, report.perLabel().get(1).f1(), EPS);
  }

  @Test
  void closestToNeutralWithinInterval() {
    assertEquals(0.5f, ThresholdSweep.closestToNeutral(0.2f, 0.8f));
    assertEquals(0.5f, ThresholdSweep.closestToNeutral(0.2f, 0.5f));
    assertEquals(0.4f, ThresholdSweep.closestToNeutral(0.2f, 0.4f));
    assertEquals(Math.nextUp(0.5f), ThresholdSweep.closestToNeutral(0.5f, 0.9f));
    assertEquals(0.5f, ThresholdSweep.closestToNeutral(0.3f, Float.POSITIVE_INFINITY));
    assertEquals(0.1f, ThresholdSweep.closestToNeutral(Float.NEGATIVE_INFINITY, 0.1f));
  }
}
