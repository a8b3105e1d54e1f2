package io.elektron.model.adversarial;

import io.elektron.core.TensorScope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static io.elektron.model.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Under gradient accumulation each micro-batch is attacked with its own gradient: the second micro-batch's
 * perturbation is the one it gets when run alone, whatever the first one left in the matrix's gradient. And the
 * accumulated gradients are still the sum over the micro-batches.
 *
 * <p>The fixture batch split as example 0, then examples 1 and 2: they share the [CLS] and [SEP] rows, so the first
 * micro-batch's gradient sits in rows the second one attacks, and in rows it does not look up at all.
 */
class MicroBatchAttackTest {
    private static final int[] FIRST = {0};
    private static final int[] SECOND = {1, 2};
    private static final float HALF = 0.5f; // 1 / accumulation steps
    private static final long NOISE_SEED = 11L;

    private static AdversarialTraining method(String name) {
        return AdversarialTraining.parse(name, 0.8f, 0.3f, 3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fgm", "pgd", "random"})
    void secondMicroBatchIsAttackedAsIfItRanAlone(String name) throws Exception {
        FixtureSteps accumulated = new FixtureSteps();
        FixtureSteps alone = new FixtureSteps();
        try (TensorScope s = TensorScope.open()) {
            accumulated.step(method(name), HALF, NOISE_SEED, FIRST);
            accumulated.step(method(name), HALF, NOISE_SEED, SECOND);
            alone.step(method(name), HALF, NOISE_SEED, SECOND);
        }
        int passes = alone.matrixSeen.size(); // clean + adversarial: FGM and random 2, PGD 1 + K
        assertEquals(2 * passes, accumulated.matrixSeen.size());
        for (int pass = 1; pass < passes; pass++) {
            float[] expected = alone.perturbation(pass);
            float[] actual = accumulated.perturbation(passes + pass);
            assertClose(name + " pass " + pass + " perturbation", expected, actual, 1e-7, 1e-5);
        }
        if (!name.equals("pgd")) {
            assertEquals(0.8, FixtureSteps.norm(accumulated.perturbation(passes + 1)), 1e-5,
                    "the second micro-batch gets the full eps");
        }
        assertArrayEquals(accumulated.original, accumulated.weight.toFloatArray(), "restored bit for bit");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fgm", "pgd", "random"})
    void accumulatedGradientIsTheSumOverMicroBatches(String name) throws Exception {
        FixtureSteps accumulated = new FixtureSteps();
        FixtureSteps firstAlone = new FixtureSteps();
        FixtureSteps secondAlone = new FixtureSteps();
        try (TensorScope s = TensorScope.open()) {
            accumulated.step(method(name), HALF, NOISE_SEED, FIRST);
            accumulated.step(method(name), HALF, NOISE_SEED, SECOND);
            firstAlone.step(method(name), HALF, NOISE_SEED, FIRST);
            secondAlone.step(method(name), HALF, NOISE_SEED, SECOND);
        }
        Map<String, float[]> sum = accumulated.gradients();
        Map<String, float[]> a = firstAlone.gradients();
        Map<String, float[]> b = secondAlone.gradients();
        for (String p : sum.keySet()) {
            float[] expected = new float[sum.get(p).length];
            for (int i = 0; i < expected.length; i++) expected[i] = a.get(p)[i] + b.get(p)[i];
            assertClose(name + " " + p, expected, sum.get(p), 1e-7, 1e-5);
        }
    }
}
