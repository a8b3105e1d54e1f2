package io.elektron.model.train;

import io.elektron.model.adversarial.AdversarialTraining;
import io.elektron.model.adversarial.NoAdversary;

/**
 * Fine-tuning hyper-parameters. Defaults follow the ELECTRA paper's fine-tuning recipe (PITFALLS.md): AdamW with
 * eps 1e-6 and weight decay 0.01 (biases and LayerNorm weights excluded), 10% linear warmup then linear decay, global
 * gradient clipping at 1.0, batch 32, sequence length 128, 3 epochs.
 *
 * @param layerwiseLrDecay  0 = off; else layer i of L gets lr * decay^(L + 1 - depth) (embeddings depth 0, head L + 1)
 * @param posWeight         per-label positive weighting of BCE
 * @param patience          early stopping: stop after this many epochs without a better dev score (0 = never)
 * @param maxSteps          stop after this many optimizer steps (0 = no limit): quick runs and tests
 */
public record TrainingOptions(
        int epochs,
        int batchSize,
        int evalBatchSize,
        float learningRate,
        float weightDecay,
        float adamEps,
        float warmupRatio,
        float maxGradNorm,
        int gradientAccumulation,
        float layerwiseLrDecay,
        int maxLength,
        long seed,
        PosWeight posWeight,
        AdversarialTraining adversarial,
        int patience,
        int maxSteps) {

    /** How BCE weights positive examples of each label. */
    public enum PosWeight {
        /** Every label weighted 1 (HF's head). */
        NONE,
        /** neg/pos from the training label frequencies, capped at 30 (rare GoEmotions labels need it). */
        AUTO
    }

    public TrainingOptions {
        check(epochs >= 1, "epochs must be >= 1, got " + epochs);
        check(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        check(evalBatchSize >= 1, "eval batch size must be >= 1, got " + evalBatchSize);
        check(learningRate > 0 && Float.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
        check(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        check(warmupRatio >= 0 && warmupRatio <= 1, "warmup ratio must be in [0, 1], got " + warmupRatio);
        check(maxGradNorm > 0, "max grad norm must be > 0, got " + maxGradNorm);
        check(gradientAccumulation >= 1, "gradient accumulation must be >= 1, got " + gradientAccumulation);
        check(layerwiseLrDecay >= 0 && layerwiseLrDecay <= 1, "layer-wise lr decay must be in [0, 1], got " + layerwiseLrDecay);
        check(maxLength >= 2, "max length must be >= 2, got " + maxLength);
        check(patience >= 0, "patience must be >= 0, got " + patience);
        check(maxSteps >= 0, "max steps must be >= 0, got " + maxSteps);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public static TrainingOptions defaults() {
        return new TrainingOptions(3, 32, 64, 1e-4f, 0.01f, 1e-6f, 0.1f, 1.0f, 1, 0f, 128, 42L, PosWeight.NONE,
                new NoAdversary(), 0, 0);
    }

    public TrainingOptions withEpochs(int v) {
        return new TrainingOptions(v, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, posWeight, adversarial, patience, maxSteps);
    }

    public TrainingOptions withBatchSize(int v) {
        return new TrainingOptions(epochs, v, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, posWeight, adversarial, patience, maxSteps);
    }

    public TrainingOptions withLearningRate(float v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, v, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, posWeight, adversarial, patience, maxSteps);
    }

    public TrainingOptions withSeed(long v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, v, posWeight, adversarial, patience, maxSteps);
    }

    public TrainingOptions withAdversarial(AdversarialTraining v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, posWeight, v, patience, maxSteps);
    }

    public TrainingOptions withMaxLength(int v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, v, seed, posWeight, adversarial, patience, maxSteps);
    }

    public TrainingOptions withGradientAccumulation(int v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, v, layerwiseLrDecay, maxLength, seed, posWeight, adversarial, patience, maxSteps);
    }

    public TrainingOptions withMaxSteps(int v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, posWeight, adversarial, patience, v);
    }

    public TrainingOptions withPosWeight(PosWeight v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, v, adversarial, patience, maxSteps);
    }

    public TrainingOptions withLayerwiseLrDecay(float v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, v, maxLength, seed, posWeight, adversarial, patience, maxSteps);
    }

    public TrainingOptions withPatience(int v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, posWeight, adversarial, v, maxSteps);
    }

    public TrainingOptions withWarmupRatio(float v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, weightDecay, adamEps, v, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, posWeight, adversarial, patience, maxSteps);
    }

    public TrainingOptions withWeightDecay(float v) {
        return new TrainingOptions(epochs, batchSize, evalBatchSize, learningRate, v, adamEps, warmupRatio, maxGradNorm, gradientAccumulation, layerwiseLrDecay, maxLength, seed, posWeight, adversarial, patience, maxSteps);
    }
}
