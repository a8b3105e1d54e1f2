package io.elektron.model.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Expected AUCs are counted by hand over (positive, negative) pairs; a tie counts 1/2. */
class RocAucTest {

  private static final double EPS = 1e-12;

  @Test
  void perfectAndInvertedRankings() {
    boolean[] gold = {true, false, true, false};
    assertEquals(1.0, RocAuc.binary(new float[] {0.9f, 0.1f, 0.8f, 0.2f}, gold), EPS);
    assertEquals(0.0, RocAuc.binary(new float[] {0.1f, 0.9f, 0.2f, 0.8f}, gold), EPS);
  }

  @Test
  void tiesCountHalf() {
    // positives {0.8, 0.5, 0.5}, negatives {0.5, 0.2}; 3 x 2 = 6 pairs:
    //   0.8 vs 0.5 win, 0.8 vs 0.2 win                 -> 2
    //   0.5 vs 0.5 tie (1/2), 0.5 vs 0.2 win, twice    -> 2 * 1.5 = 3
    //   AUC = (2 + 3) / 6 = 5/6
    float[] scores = {0.5f, 0.8f, 0.2f, 0.5f, 0.5f};
    boolean[] gold = {true, true, false, false, true};
    assertEquals(5.0 / 6.0, RocAuc.binary(scores, gold), EPS);
  }

  @Test
  void moreTiesAcrossClasses() {
    // positives {0.7, 0.3, 0.3}, negatives {0.7, 0.3, 0.1}; 9 pairs:
    //   pos 0.7: vs 0.7 tie 1/2, vs 0.3 win, vs 0.1 win  -> 2.5
    //   pos 0.3: vs 0.7 lose, vs 0.3 tie 1/2, vs 0.1 win -> 1.5, twice -> 3
    //   AUC = 5.5 / 9 = 11/18
    float[] scores = {0.7f, 0.3f, 0.3f, 0.7f, 0.3f, 0.1f};
    boolean[] gold = {true, true, true, false, false, false};
    assertEquals(11.0 / 18.0, RocAuc.binary(scores, gold), EPS);
  }

  @Test
  void allScoresTiedIsHalf() {
    // Every pair ties: AUC 1/2.
    float[] scores = {0.4f, 0.4f, 0.4f};
    assertEquals(0.5, RocAuc.binary(scores, new boolean[] {true, false, false}), EPS);
  }

  @Test
  void negativeZeroTiesWithZero() {
    // Scores are logits here: -0.0 and 0.0 are the same score, so the only pair ties: 1/2.
    assertEquals(0.5, RocAuc.binary(new float[] {-0.0f, 0.0f}, new boolean[] {true, false}),
        EPS);
  }

  @Test
  void oneClassLabelsAreSkippedAndCounted() {
    // label 0: pos {0.9} vs neg {0.1, 0.5}: 2/2 = 1
    // label 1: all negative -> skipped; label 2: all positive -> skipped
    // label 3: pos {0.2} vs neg {0.6, 0.4}: 0/2 = 0
    // macro over labels 0 and 3 = 1/2
    float[][] probs = {{0.9f, 0.1f, 0.3f, 0.2f}, {0.1f, 0.2f, 0.4f, 0.6f},
        {0.5f, 0.3f, 0.5f, 0.4f}};
    boolean[][] gold = {{true, false, true, true}, {false, false, true, false},
        {false, false, true, false}};
    RocAucResult result = RocAuc.macro(probs, gold);
    assertEquals(0.5, result.macroAuc(), EPS);
    assertEquals(2, result.skippedLabels());
    assertEquals(2, result.evaluatedLabels());
    assertEquals(Arrays.asList(1.0, null, null, 0.0), result.perLabel());
  }

  @Test
  void noPositivesAtAll() {
    assertNull(RocAuc.binary(new float[] {0.1f, 0.2f}, new boolean[] {false, false}));
    RocAucResult result = RocAuc.macro(new float[][] {{0.1f}}, new boolean[][] {{true}});
    assertNull(result.macroAuc());
    assertEquals(1, result.skippedLabels());
  }
}
