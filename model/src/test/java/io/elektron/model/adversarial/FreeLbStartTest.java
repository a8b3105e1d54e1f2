package io.elektron.model.adversarial;

import io.elektron.model.EncoderInput;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FreeLB's random start on its authors' scale (their L2 variant): uniform in [-1, 1] on real tokens, times
 * adv-init-mag / sqrt(L x E) for an example of L real tokens, so its expected norm is adv-init-mag / sqrt(3) whatever
 * the length; zero on padding.
 */
class FreeLbStartTest {
    @Test
    void theStartIsUniformNoiseScaledByTheExamplesSizeAndZeroOnPadding() {
        int dim = 3000;
        // Two examples padded to 5 tokens: 3 real tokens and 5 real tokens.
        int[] ids = {101, 7, 102, 0, 0, 101, 8, 9, 10, 102};
        int[] mask = {1, 1, 1, 0, 0, 1, 1, 1, 1, 1};
        EncoderInput in = new EncoderInput(2, 5, ids, mask, new int[10]);
        float initMag = 0.3f;
        float[] delta = new FreeLb(0f, 0.1f, 2, initMag).initialDelta(in, ExampleRows.of(in, new int[]{2, 5, dim}), dim);

        int[] lengths = {3, 5};
        for (int b = 0; b < 2; b++) {
            double bound = initMag / Math.sqrt(lengths[b] * dim);
            double sq = 0;
            double max = 0;
            for (int t = 0; t < 5; t++) {
                int row = b * 5 + t;
                float[] values = java.util.Arrays.copyOfRange(delta, row * dim, (row + 1) * dim);
                if (mask[row] == 0) {
                    assertArrayEquals(new float[dim], values, "padding row " + row + " starts at zero");
                    continue;
                }
                for (float v : values) {
                    sq += (double) v * v;
                    max = Math.max(max, Math.abs(v));
                }
            }
            assertTrue(max <= bound * (1 + 1e-6), "example " + b + ": |delta| " + max + " <= " + bound);
            assertTrue(max > 0.99 * bound, "example " + b + ": uniform over the whole range, max " + max);
            // E|delta|^2 = L E * (bound^2 / 3) = initMag^2 / 3; with 9,000+ values the norm is within 2% of it.
            assertEquals(initMag / Math.sqrt(3), Math.sqrt(sq), 0.02 * initMag / Math.sqrt(3), "example " + b + " norm");
        }
    }
}
