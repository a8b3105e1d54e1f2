package io.elektron.model.pretrain;

import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.model.EncoderInput;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Scores replaced-token detection on held-out sequences: eval mode (no dropout), no graph, and masks and samples drawn
 * from generators seeded by (seed, batch index), so two evaluations of one model agree and evaluations of successive
 * checkpoints see the same masked positions.
 */
public final class RtdEvaluator {
    private RtdEvaluator() {
    }

    public static RtdEvaluation evaluate(RtdModel model, List<int[]> sequences, TokenMasker masker, RtdObjective objective,
                                         int batchSize, int padId, float temperature, long seed) {
        if (sequences.isEmpty()) throw new IllegalArgumentException("no held-out sequences to evaluate");
        boolean wasTraining = model.isTraining();
        model.eval();
        RtdCounts counts = RtdCounts.ZERO;
        double mlmSum = 0;
        long masked = 0;
        double discSum = 0;
        long scored = 0;
        long replaced = 0;
        try (GradMode off = GradMode.disabled()) {
            for (int start = 0, index = 0; start < sequences.size(); start += batchSize, index++) {
                List<int[]> part = sequences.subList(start, Math.min(sequences.size(), start + batchSize));
                EncoderInput batch = PretrainCorpus.batch(part, padId);
                try (TensorScope scope = TensorScope.open()) {
                    MaskedBatch mb = masker.mask(batch, new SplittableRandom(ElectraPretrainer.derivedSeed(seed, ElectraPretrainer.EVAL_MASK, index)));
                    RtdResult r = objective.forward(model, mb, ReplacementSampler.softmax(
                            new SplittableRandom(ElectraPretrainer.derivedSeed(seed, ElectraPretrainer.EVAL_SAMPLE, index)), temperature));
                    // Losses are means over their positions: weight each batch by its count to pool them.
                    if (r.mlmLoss() != null) {
                        mlmSum += r.mlmLoss().item() * mb.count();
                        masked += mb.count();
                    }
                    long active = batch.realTokens();
                    discSum += r.discLoss().item() * active;
                    scored += active;
                    replaced += r.replacedCount();
                    counts = counts.plus(r.counts());
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new RtdEvaluation(counts, masked == 0 ? Double.NaN : mlmSum / masked, discSum / Math.max(1, scored),
                masked == 0 ? Double.NaN : (double) replaced / masked, sequences.size());
    }
}
