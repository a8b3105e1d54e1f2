package io.elektron.model.metrics;

/**
 * A global threshold chosen on dev.
 *
 * @param threshold the chosen threshold
 * @param objective what it maximises
 * @param devScore the objective's value on dev at {@code threshold} (optimistic: measured on the
 *     data it was tuned on)
 */
public record TunedThreshold(float threshold, TuningObjective objective, double devScore) {}
