package io.elektron.model.train;

import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Batched, length-sorted, packed feature extraction gives every input the features a forward of that input alone
 * gives, and hands them back in input order, across several sorting windows.
 */
class FeatureExtractorTest {
    private static final int HIDDEN = 24;

    private static ElectraModel encoder() {
        ElectraConfig c = ElectraConfig.of(40, 16, HIDDEN, 2, 3, 40, 32, List.of());
        return new ElectraModel(c, new SplittableRandom(3), new SeedStream(1));
    }

    private static List<TokenizedExample> examples(int count) {
        SplittableRandom r = new SplittableRandom(9);
        List<TokenizedExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int len = 1 + r.nextInt(i % 17 == 0 ? 32 : 12);
            int[] ids = new int[len];
            for (int j = 0; j < len; j++) ids[j] = 1 + r.nextInt(39);
            out.add(new TokenizedExample(i, ids, new int[len], null));
        }
        return out;
    }

    /** The last hidden state [T, H] of one example run alone (padded execution, no padding in it). */
    private static float[] alone(ElectraModel encoder, TokenizedExample e) {
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled()) {
            return encoder.forward(Batches.pad(List.of(e), 0)).lastHiddenState().toFloatArray();
        }
    }

    @Test
    void everyPoolingMatchesTheExampleRunAloneInInputOrder() {
        ElectraModel encoder = encoder();
        encoder.eval();
        // batch 2 x 64 batches per window = 128 examples: 300 examples span three windows
        List<TokenizedExample> examples = examples(300);
        for (Pooling pooling : Pooling.values()) {
            List<FeatureExtractor.Features> got = new ArrayList<>();
            new FeatureExtractor(encoder, 2, 0, pooling).run(examples, got::add);
            assertEquals(examples.size(), got.size());
            for (int i = 0; i < examples.size(); i++) {
                TokenizedExample e = examples.get(i);
                FeatureExtractor.Features f = got.get(i);
                assertEquals(e, f.example(), "input order at " + i);
                float[] states = alone(encoder, e);
                int t = e.length();
                float[] expected = switch (pooling) {
                    case NONE -> states;
                    case CLS -> java.util.Arrays.copyOf(states, HIDDEN);
                    case MEAN -> {
                        float[] m = new float[HIDDEN];
                        for (int j = 0; j < HIDDEN; j++) {
                            double sum = 0;
                            for (int row = 0; row < t; row++) sum += states[row * HIDDEN + j];
                            m[j] = (float) (sum / t);
                        }
                        yield m;
                    }
                };
                assertArrayEquals(expected, f.values(), 1e-5f, pooling + " features of example " + i);
                assertEquals(pooling == Pooling.NONE ? t : 1, f.rows());
            }
        }
    }

    @Test
    void badSettingsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureExtractor(encoder(), 0, 0, Pooling.CLS));
        assertThrows(IllegalArgumentException.class, () -> Pooling.parse("max"));
        assertThrows(IllegalArgumentException.class, () -> Batches.byLength(examples(3), -1, 0));
    }
}
