package io.elektron.model.train;

import io.elektron.model.metrics.MetricsReport;

/**
 * One epoch's summary.
 *
 * @param devAtHalf       dev metrics at threshold 0.5
 * @param devTuned        dev metrics at the global threshold tuned on dev this epoch (the selection score's source)
 * @param meanLossIncrease mean (adversarial - clean) loss over the epoch's steps, NaN without an attack
 */
public record EpochRecord(int epoch, double trainLoss, MetricsReport devAtHalf, MetricsReport devTuned,
                          double selectionScore, double seconds, double tokensPerSecond,
                          double meanPerturbationNorm, double meanLossIncrease) {
}
