package io.elektron.model.pretrain;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Draws the generator's replacement for each masked position from its logits. It reads values only, so no gradient
 * flows through the choice: the discriminator sees integer ids, and the generator learns from the MLM loss alone
 * (ELECTRA's stop-gradient on the samples).
 */
@FunctionalInterface
public interface ReplacementSampler {
    /**
     * @param logits      [rows, vocab] row-major, one row per masked position
     * @param originalIds the original token of each row (for samplers that need it; the softmax sampler ignores it)
     * @return one token id per row
     */
    int[] sample(float[] logits, int rows, int vocab, int[] originalIds);

    /**
     * Sampling from softmax(logits / temperature), one uniform draw per row from {@code random} (inverse CDF in double).
     */
    static ReplacementSampler softmax(SplittableRandom random, float temperature) {
        if (!(temperature > 0f) || !Float.isFinite(temperature)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        return (logits, rows, vocab, originalIds) -> {
            // The uniforms are drawn in row order first, so the parallel rows below give the same samples on any
            // number of threads.
            double[] uniforms = new double[rows];
            for (int r = 0; r < rows; r++) uniforms[r] = random.nextDouble();
            int[] out = new int[rows];
            IntStream.range(0, rows).parallel().forEach(r -> out[r] = sampleRow(logits, r * vocab, vocab, temperature, uniforms[r], r));
            return out;
        };
    }

    private static int sampleRow(float[] logits, int base, int vocab, float temperature, double uniform, int row) {
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) max = Math.max(max, logits[base + v]);
        double[] weights = new double[vocab];
        double sum = 0;
        for (int v = 0; v < vocab; v++) {
            weights[v] = Math.exp((logits[base + v] - max) / (double) temperature);
            sum += weights[v];
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new IllegalStateException("generator logits of masked position " + row + " are not finite");
        }
        double u = uniform * sum;
        double cumulative = 0;
        for (int v = 0; v < vocab; v++) {
            cumulative += weights[v];
            if (u < cumulative) return v;
        }
        return vocab - 1;
    }

    /** Always the given ids (tests against a reference whose samples are known). */
    static ReplacementSampler fixed(int[] ids) {
        int[] copy = ids.clone();
        return (logits, rows, vocab, originalIds) -> {
            if (rows != copy.length) throw new IllegalArgumentException("fixed sampler holds " + copy.length + " ids, asked for " + rows);
            return copy.clone();
        };
    }
}
