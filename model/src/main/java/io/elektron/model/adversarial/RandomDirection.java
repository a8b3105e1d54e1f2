package io.elektron.model.adversarial;

import io.elektron.core.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The control for FGM: FGM's step with a RANDOM direction in place of the gradient's. It perturbs exactly the rows FGM
 * perturbs (the word-embedding rows the micro-batch looked up) with an r of FGM's norm (eps, one Frobenius norm over
 * those rows), at FGM's cost (a second forward and backward) and with the same exact restore: both run
 * {@link MatrixFormStep}. Without it, "FGM helps" cannot be told apart from "noise of that size helps".
 *
 * <p>The direction is uniform on the sphere (standard normal draws scaled to norm eps), drawn from the micro-step's
 * {@link StepContext#noiseSeed()} and the batch's ids: the same run seed gives the same directions, across an
 * interruption and resume too.
 */
public record RandomDirection(float eps) implements AdversarialTraining {
    public RandomDirection {
        if (!(eps > 0)) throw new IllegalArgumentException("random: eps must be > 0, got " + eps);
    }

    @Override
    public StepStats step(StepContext ctx) {
        long seed = mix(ctx.noiseSeed() ^ mix(Arrays.hashCode(ctx.input().inputIds())));
        return MatrixFormStep.run(ctx, (weight, rows, gradientNorm) -> addRandom(weight, rows, seed));
    }

    /** weight[rows] += r, r standard normal over all of [rows, dim] scaled to Frobenius norm eps. */
    private void addRandom(Tensor weight, int[] rows, long seed) {
        int cols = weight.size(1);
        SplittableRandom random = new SplittableRandom(seed);
        float[] r = new float[rows.length * cols];
        double sq = 0;
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) random.nextGaussian();
            sq += (double) r[i] * r[i];
        }
        float scale = (float) (eps / Math.sqrt(sq));
        float[] row = new float[cols];
        for (int i = 0; i < rows.length; i++) {
            long offset = (long) rows[i] * cols;
            weight.backend().download(weight.storage(), offset, row, 0, cols);
            for (int c = 0; c < cols; c++) row[c] += scale * r[i * cols + c];
            weight.backend().upload(row, 0, weight.storage(), offset, cols);
        }
    }

    /**
     * Stafford's mix13 (as in SplittableRandom): nearby inputs (consecutive steps, similar batches) give unrelated
     * seeds. SplittableRandom streams of seeds that differ by a multiple of its increment would otherwise overlap.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String name() {
        return "random";
    }
}
