package io.elektron.model.adversarial;

import io.elektron.core.TensorScope;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The random control is FGM with the direction replaced: same rows, same norm, same passes, exact restore, and a
 * direction that is reproducible from its seed but not FGM's.
 */
class RandomDirectionTest {
    private static final float EPS = 0.7f;
    private static final int[] BATCH = {0, 1, 2};

    @Test
    void perturbsFgmsRowsWithFgmsNormAndRestoresThemBitForBit() throws Exception {
        FixtureSteps fgm = new FixtureSteps();
        FixtureSteps random = new FixtureSteps();
        StepStats fgmStats;
        StepStats randomStats;
        try (TensorScope s = TensorScope.open()) {
            fgmStats = fgm.step(new Fgm(EPS), 1f, 1L, BATCH);
            randomStats = random.step(new RandomDirection(EPS), 1f, 1L, BATCH);
        }
        assertEquals(2, fgm.matrixSeen.size(), "FGM: clean pass + adversarial pass");
        assertEquals(2, random.matrixSeen.size(), "random: the same two passes");
        assertArrayEquals(random.original, random.matrixSeen.get(0), "the clean pass sees the matrix untouched");

        float[] fgmR = fgm.perturbation(1);
        float[] randomR = random.perturbation(1);
        assertEquals(EPS, FixtureSteps.norm(fgmR), 1e-5, "FGM's r has norm eps over the touched rows");
        assertEquals(FixtureSteps.norm(fgmR), FixtureSteps.norm(randomR), 1e-5, "the control's r has FGM's norm");
        assertEquals(FixtureSteps.norm(randomR), randomStats.perturbationNorm(), 1e-6, "and reports it");

        int[] lookedUp = random.idsLookedUp(BATCH);
        assertArrayEquals(lookedUp, fgm.nonZeroRows(fgmR), "FGM perturbs the rows the batch looked up");
        assertArrayEquals(lookedUp, random.nonZeroRows(randomR), "and so does the control, no others");

        assertArrayEquals(random.original, random.weight.toFloatArray(), "restored bit for bit");
        assertTrue(Double.isFinite(randomStats.adversarialLoss()));
        assertEquals(fgmStats.cleanLoss(), randomStats.cleanLoss(), 0.0, "same clean pass");
    }

    @Test
    void directionIsNotFgms() throws Exception {
        FixtureSteps fgm = new FixtureSteps();
        FixtureSteps random = new FixtureSteps();
        StepStats fgmStats;
        StepStats randomStats;
        try (TensorScope s = TensorScope.open()) {
            fgmStats = fgm.step(new Fgm(EPS), 1f, 1L, BATCH);
            randomStats = random.step(new RandomDirection(EPS), 1f, 1L, BATCH);
        }
        // 31 rows x 16 dimensions: a random direction's cosine with a fixed one has sd 1/sqrt(496) ~ 0.045.
        double cos = FixtureSteps.cosine(fgm.perturbation(1), random.perturbation(1));
        assertTrue(Math.abs(cos) < 0.3, "cosine with FGM's direction " + cos);
        // To first order the gradient direction raises the loss most; a random one barely moves it.
        assertTrue(fgmStats.lossIncrease() > 0);
        assertTrue(randomStats.lossIncrease() < fgmStats.lossIncrease(),
                "random " + randomStats.lossIncrease() + " vs FGM " + fgmStats.lossIncrease());
    }

    @Test
    void sameSeedSameDirectionOtherSeedOtherDirection() throws Exception {
        FixtureSteps first = new FixtureSteps();
        FixtureSteps again = new FixtureSteps();
        FixtureSteps other = new FixtureSteps();
        try (TensorScope s = TensorScope.open()) {
            first.step(new RandomDirection(EPS), 1f, 42L, BATCH);
            again.step(new RandomDirection(EPS), 1f, 42L, BATCH);
            other.step(new RandomDirection(EPS), 1f, 43L, BATCH);
        }
        assertArrayEquals(first.perturbation(1), again.perturbation(1), "same seed, same batch: the same r");
        double cos = FixtureSteps.cosine(first.perturbation(1), other.perturbation(1));
        assertTrue(Math.abs(cos) < 0.3, "another seed draws another direction (cosine " + cos + ")");
        assertEquals(FixtureSteps.norm(first.perturbation(1)), FixtureSteps.norm(other.perturbation(1)), 1e-5);
    }

    @Test
    void selectableByNameWithFgmsDefaultEps() {
        AdversarialTraining parsed = AdversarialTraining.parse("random", 0.5f, 0.3f, 3);
        assertInstanceOf(RandomDirection.class, parsed);
        assertEquals(0.5f, ((RandomDirection) parsed).eps());
        assertEquals("random", parsed.name());
        assertTrue(AdversarialTraining.NAMES.contains("random"));
        assertEquals(AdversarialTraining.defaultEps("fgm"), AdversarialTraining.defaultEps("random"),
                "the control runs at FGM's eps unless told otherwise");
        assertThrows(IllegalArgumentException.class, () -> new RandomDirection(0f));
    }
}
