package io.elektron.model.metrics;

/** Which thresholds the tuner tries. */
public enum ThresholdSearch {
  /**
   * The 99 values {@code 0.01, 0.02, ..., 0.99} (each computed as {@code i / 100}, not by repeated
   * addition, so 0.3 is exactly {@code 0.3f}). Coarse but robust: the tuned threshold cannot sit
   * on a single dev example's probability, and the result is easy to quote.
   */
  GRID,
  /**
   * Exact search over every threshold: the observed distinct probabilities split the real line
   * into intervals, each giving one set of predictions; every interval is scored. Within the best
   * interval(s) the threshold closest to 0.5 is returned — 0.5 itself when inside, else the nearest
   * end ({@code Math.nextUp} of the open lower end when the interval lies above 0.5).
   */
  DISTINCT_PROBABILITIES;

  /** Number of grid steps; the grid is {@code i / GRID_STEPS} for {@code i = 1 .. GRID_STEPS - 1}. */
  static final int GRID_STEPS = 100;
}
