package io.elektron.core.ops;

import io.elektron.core.PackedSequences;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Attention over packed sequences: forward against plain double loops (each sequence attends to itself only),
 * every op's gradient against finite differences, and the packed [CLS] gather / padded scatter.
 */
class PackedAttentionTest {
    private static final int HEADS = 2;
    private static final int HIDDEN = 6; // head size 3

    private static Tensor rand(long seed, int... shape) {
        return Tensor.randn(seed, 1f, shape);
    }

    /** Lengths with a length-1 sequence, repeats and an odd one. */
    private static final PackedSequences MIXED = PackedSequences.ofLengths(3, 1, 5, 3);

    @Test
    void forwardMatchesPerSequenceDoubleLoops() {
        try (TensorScope scope = TensorScope.open()) {
            int n = MIXED.tokens();
            Tensor q = rand(1, n, HIDDEN);
            Tensor k = rand(2, n, HIDDEN);
            Tensor v = rand(3, n, HIDDEN);
            float scale = 0.5f;
            Tensor probs = PackedAttention.softmax(PackedAttention.scores(q, k, HEADS, MIXED), HEADS, MIXED, scale);
            Tensor context = PackedAttention.context(probs, v, HEADS, MIXED);
            assertEquals(PackedAttention.scoreCount(MIXED, HEADS), probs.numel());

            float[] qa = q.toFloatArray(), ka = k.toFloatArray(), va = v.toFloatArray();
            float[] p = probs.toFloatArray();
            float[] c = context.toFloatArray();
            int d = HIDDEN / HEADS;
            for (int s = 0; s < MIXED.count(); s++) {
                int t = MIXED.length(s), start = MIXED.start(s);
                for (int h = 0; h < HEADS; h++) {
                    long block = PackedAttention.scoreOffset(MIXED, HEADS, s, h);
                    for (int i = 0; i < t; i++) {
                        double[] e = new double[t];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < t; j++) {
                            double dot = 0;
                            for (int x = 0; x < d; x++) {
                                dot += (double) qa[(start + i) * HIDDEN + h * d + x] * ka[(start + j) * HIDDEN + h * d + x];
                            }
                            e[j] = scale * dot;
                            max = Math.max(max, e[j]);
                        }
                        double sum = 0;
                        for (int j = 0; j < t; j++) sum += e[j] = Math.exp(e[j] - max);
                        for (int j = 0; j < t; j++) {
                            assertEquals(e[j] / sum, p[(int) (block + (long) i * t + j)], 1e-6, "p s" + s + " h" + h);
                        }
                        for (int x = 0; x < d; x++) {
                            double acc = 0;
                            for (int j = 0; j < t; j++) acc += e[j] / sum * va[(start + j) * HIDDEN + h * d + x];
                            assertEquals(acc, c[(start + i) * HIDDEN + h * d + x], 1e-5, "context s" + s + " h" + h);
                        }
                    }
                }
            }
        }
    }

    @Test
    void packedEqualsPaddedWithMaskAtRealPositions() {
        // The padded path (AttentionProducts + masked Softmax) is what the HF parity tests check; packed must agree.
        int[] lengths = {4, 2, 1};
        PackedSequences packing = PackedSequences.ofLengths(lengths);
        int b = lengths.length, t = 4;
        try (TensorScope scope = TensorScope.open()) {
            Tensor q = rand(4, b, t, HIDDEN), k = rand(5, b, t, HIDDEN), v = rand(6, b, t, HIDDEN);
            float[] mask = new float[b * t];
            for (int s = 0; s < b; s++) for (int i = lengths[s]; i < t; i++) mask[s * t + i] = -Float.MAX_VALUE;
            Tensor paddedProbs = Softmax.softmax(AttentionProducts.scores(q, k, HEADS), Tensor.of(mask, b, t), 0.7f);
            Tensor paddedContext = AttentionProducts.context(paddedProbs, v, HEADS);

            int[] rows = new int[packing.tokens()];
            for (int s = 0, i = 0; s < b; s++) for (int p = 0; p < lengths[s]; p++) rows[i++] = s * t + p;
            Tensor pq = RowGather.gather(q.reshape(b * t, HIDDEN), rows);
            Tensor pk = RowGather.gather(k.reshape(b * t, HIDDEN), rows);
            Tensor pv = RowGather.gather(v.reshape(b * t, HIDDEN), rows);
            Tensor probs = PackedAttention.softmax(PackedAttention.scores(pq, pk, HEADS, packing), HEADS, packing, 0.7f);
            Tensor context = PackedAttention.context(probs, pv, HEADS, packing);

            float[] expectedContext = RowGather.gather(paddedContext.reshape(b * t, HIDDEN), rows).toFloatArray();
            assertArrayEquals(expectedContext, context.toFloatArray(), 1e-6f);
            float[] padded = PackedAttention.padded(probs, HEADS, packing, t);
            float[] reference = paddedProbs.toFloatArray();
            for (int s = 0; s < b; s++) {
                for (int h = 0; h < HEADS; h++) {
                    for (int i = 0; i < lengths[s]; i++) {
                        for (int j = 0; j < t; j++) {
                            int at = ((s * HEADS + h) * t + i) * t + j;
                            assertEquals(reference[at], padded[at], 1e-6, "probability s" + s + " h" + h);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int n = MIXED.tokens();
        GradCheck.check("packed scores", in -> PackedAttention.scores(in[0], in[1], HEADS, MIXED),
                rand(11, n, HIDDEN), rand(12, n, HIDDEN)).assertPassed();
        long s = PackedAttention.scoreCount(MIXED, HEADS);
        GradCheck.check("packed softmax", in -> PackedAttention.softmax(in[0], HEADS, MIXED, 0.6f),
                rand(13, (int) s)).assertPassed();
        GradCheck.check("packed context", in -> PackedAttention.context(in[0], in[1], HEADS, MIXED),
                rand(14, (int) s), rand(15, n, HIDDEN)).assertPassed();
        GradCheck.check("packed attention", in -> PackedAttention.context(PackedAttention.softmax(
                        PackedAttention.scores(in[0], in[1], HEADS, MIXED), HEADS, MIXED, 0.5f), in[2], HEADS, MIXED),
                rand(16, n, HIDDEN), rand(17, n, HIDDEN), rand(18, n, HIDDEN)).assertPassed();
    }

    @Test
    void rowGatherAndScatterGradients() {
        GradCheck.check("row gather", in -> RowGather.gather(in[0], new int[]{3, 0, 3, 5}), rand(21, 6, 4))
                .assertPassed();
        GradCheck.check("row scatter", in -> RowGather.scatter(in[0], new int[]{7, 0, 2}, 8), rand(22, 3, 4))
                .assertPassed();
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2);
            assertArrayEquals(new float[]{0, 0, 3, 4, 0, 0, 1, 2}, RowGather.scatter(x, new int[]{3, 1}, 4).toFloatArray());
            assertArrayEquals(new float[]{3, 4, 1, 2, 3, 4}, RowGather.gather(x, new int[]{1, 0, 1}).toFloatArray());
        }
    }

    @Test
    void badLayoutsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> PackedSequences.ofLengths(2, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PackedSequences(new int[]{0, 3, 2}));
        try (TensorScope scope = TensorScope.open()) {
            Tensor q = rand(30, 5, HIDDEN);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PackedAttention.scores(q, q, HEADS, MIXED));
            assertEquals(true, e.getMessage().contains("one row per packed token (12)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> PackedAttention.scores(rand(31, 12, 7),
                    rand(32, 12, 7), HEADS, MIXED));
            assertThrows(IndexOutOfBoundsException.class, () -> RowGather.gather(q, new int[]{5}));
            assertThrows(IllegalArgumentException.class, () -> RowGather.scatter(q, new int[]{0, 1, 1, 2, 3}, 6));
        }
    }
}
