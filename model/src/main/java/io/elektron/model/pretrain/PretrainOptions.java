package io.elektron.model.pretrain;

/**
 * Pre-training hyper-parameters. Defaults follow ELECTRA-Small's recipe where it applies to small runs: AdamW (eps
 * 1e-6, weight decay 0.01 except biases and LayerNorm weights), linear warmup then linear decay to 0, global gradient
 * clipping at 1, discriminator weight 50, 15% masking. Learning rate 5e-4 as ELECTRA-Small (the paper warms up over
 * 10,000 steps; here the default is 10% of the run).
 *
 * @param steps              optimizer steps
 * @param batchSize          sequences per micro-batch
 * @param accumulation       micro-batches per optimizer step
 * @param warmupSteps        -1 = 10% of {@code steps}
 * @param checkpointEvery    write the resumable checkpoint every this many steps (0 = only at the end)
 * @param evalEvery          score the held-out sequences every this many steps (0 = only at the end)
 * @param evalBatchSize      sequences per held-out batch
 * @param temperature        of the generator's softmax when sampling replacements (1 in ELECTRA)
 */
public record PretrainOptions(
        int steps,
        int batchSize,
        int accumulation,
        float learningRate,
        int warmupSteps,
        float weightDecay,
        float adamEps,
        float maxGradNorm,
        float discWeight,
        MaskingOptions masking,
        float temperature,
        long seed,
        int checkpointEvery,
        int evalEvery,
        int evalBatchSize) {

    public PretrainOptions {
        check(steps >= 1, "steps must be >= 1, got " + steps);
        check(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        check(accumulation >= 1, "gradient accumulation must be >= 1, got " + accumulation);
        check(learningRate > 0 && Float.isFinite(learningRate), "learning rate must be > 0, got " + learningRate);
        check(warmupSteps >= -1, "warmup steps must be >= 0, got " + warmupSteps);
        check(weightDecay >= 0, "weight decay must be >= 0, got " + weightDecay);
        check(adamEps > 0, "Adam eps must be > 0, got " + adamEps);
        check(maxGradNorm > 0, "max grad norm must be > 0, got " + maxGradNorm);
        check(discWeight >= 0 && Float.isFinite(discWeight), "discriminator weight must be >= 0, got " + discWeight);
        check(masking != null, "masking options must be given");
        check(temperature > 0 && Float.isFinite(temperature), "sampling temperature must be > 0, got " + temperature);
        check(checkpointEvery >= 0, "checkpoint interval must be >= 0, got " + checkpointEvery);
        check(evalEvery >= 0, "evaluation interval must be >= 0, got " + evalEvery);
        check(evalBatchSize >= 1, "eval batch size must be >= 1, got " + evalBatchSize);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }

    public static PretrainOptions defaults() {
        return new PretrainOptions(1000, 32, 1, 5e-4f, -1, 0.01f, 1e-6f, 1f, 50f, MaskingOptions.defaults(), 1f, 42L,
                0, 0, 64);
    }

    /** Warmup steps actually used. */
    public int effectiveWarmup() {
        return warmupSteps >= 0 ? Math.min(warmupSteps, steps) : Math.round(steps * 0.1f);
    }

    public PretrainOptions withSteps(int v) {
        return new PretrainOptions(v, batchSize, accumulation, learningRate, warmupSteps, weightDecay, adamEps, maxGradNorm, discWeight, masking, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withBatchSize(int v) {
        return new PretrainOptions(steps, v, accumulation, learningRate, warmupSteps, weightDecay, adamEps, maxGradNorm, discWeight, masking, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withAccumulation(int v) {
        return new PretrainOptions(steps, batchSize, v, learningRate, warmupSteps, weightDecay, adamEps, maxGradNorm, discWeight, masking, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withLearningRate(float v) {
        return new PretrainOptions(steps, batchSize, accumulation, v, warmupSteps, weightDecay, adamEps, maxGradNorm, discWeight, masking, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withWarmupSteps(int v) {
        return new PretrainOptions(steps, batchSize, accumulation, learningRate, v, weightDecay, adamEps, maxGradNorm, discWeight, masking, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withWeightDecay(float v) {
        return new PretrainOptions(steps, batchSize, accumulation, learningRate, warmupSteps, v, adamEps, maxGradNorm, discWeight, masking, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withMaxGradNorm(float v) {
        return new PretrainOptions(steps, batchSize, accumulation, learningRate, warmupSteps, weightDecay, adamEps, v, discWeight, masking, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withDiscWeight(float v) {
        return new PretrainOptions(steps, batchSize, accumulation, learningRate, warmupSteps, weightDecay, adamEps, maxGradNorm, v, masking, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withMasking(MaskingOptions v) {
        return new PretrainOptions(steps, batchSize, accumulation, learningRate, warmupSteps, weightDecay, adamEps, maxGradNorm, discWeight, v, temperature, seed, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withSeed(long v) {
        return new PretrainOptions(steps, batchSize, accumulation, learningRate, warmupSteps, weightDecay, adamEps, maxGradNorm, discWeight, masking, temperature, v, checkpointEvery, evalEvery, evalBatchSize);
    }

    public PretrainOptions withCheckpointEvery(int v) {
        return new PretrainOptions(steps, batchSize, accumulation, learningRate, warmupSteps, weightDecay, adamEps, maxGradNorm, discWeight, masking, temperature, seed, v, evalEvery, evalBatchSize);
    }

    public PretrainOptions withEvalEvery(int v) {
        return new PretrainOptions(steps, batchSize, accumulation, learningRate, warmupSteps, weightDecay, adamEps, maxGradNorm, discWeight, masking, temperature, seed, checkpointEvery, v, evalBatchSize);
    }
}
