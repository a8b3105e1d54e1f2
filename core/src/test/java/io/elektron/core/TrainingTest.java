package io.elektron.core;

import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.ops.Losses;
import io.elektron.core.optim.AdamW;
import io.elektron.core.optim.GradClipping;
import io.elektron.core.optim.LinearWarmupSchedule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingTest {
    /** Two-layer MLP: Linear -> tanh -> Linear. */
    static final class Mlp extends Module {
        final Linear hidden;
        final Linear out;

        Mlp(SplittableRandom init) {
            hidden = registerModule("hidden", new Linear(2, 16, true, init, 0.5f));
            out = registerModule("out", new Linear(16, 1, true, init, 0.5f));
        }

        Tensor forward(Tensor x) {
            return out.forward(hidden.forward(x).tanh());
        }
    }

    @Test
    void twoLayerMlpLearnsXor() {
        Tensor x = Tensor.of(new float[]{0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new float[]{0, 1, 1, 0}, 4, 1);
        Mlp mlp = new Mlp(new SplittableRandom(3));
        AdamW opt = AdamW.of(mlp.parameters(), 0.05f, 0f);
        float first = Float.NaN;
        float last = Float.NaN;
        for (int step = 0; step < 300; step++) {
            try (TensorScope scope = TensorScope.open()) {
                Tensor loss = Losses.bceWithLogits(mlp.forward(x), y, null);
                if (step == 0) first = loss.item();
                last = loss.item();
                loss.backward();
                opt.step();
                opt.zeroGrad();
            }
        }
        assertTrue(last < first * 0.05f, "loss fell from " + first + " to " + last);
        float[] logits = mlp.forward(x).toFloatArray();
        assertTrue(logits[0] < 0 && logits[1] > 0 && logits[2] > 0 && logits[3] < 0);
    }

    @Test
    void adamwStepMatchesHandComputedTorchFormula() {
        // torch.optim.AdamW, step 1 and 2, lr 0.1, wd 0.01, betas (0.9, 0.999), eps 1e-8, for p = 1, g = 0.5 then -1.
        Tensor p = Tensor.zerosUnscoped(Tensor.defaultBackend(), 1).requiresGrad(true);
        p.copyFrom(new float[]{1f});
        AdamW opt = AdamW.of(List.of(p), 0.1f, 0.01f);
        double pv = 1, m = 0, v = 0;
        double[] grads = {0.5, -1};
        for (int t = 1; t <= 2; t++) {
            p.zeroGrad();
            p.accumulateGrad(Tensor.of(new float[]{(float) grads[t - 1]}, 1));
            opt.step();
            double g = grads[t - 1];
            pv *= 1 - 0.1 * 0.01;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double mhat = m / (1 - Math.pow(0.9, t));
            double denom = Math.sqrt(v) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
            pv -= 0.1 * mhat / denom;
            assertEquals(pv, p.item(), 1e-6, "step " + t);
        }
        // step 1 by hand: p = 0.999 - 0.1 * (0.05/0.1) / (sqrt(0.00025)/sqrt(0.001)) = 0.999 - 0.1 = 0.899
        assertTrue(Math.abs(p.item() - pv) < 1e-6);
    }

    @Test
    void adamwSkipsParametersWithoutGradient() {
        Tensor used = Tensor.zerosUnscoped(Tensor.defaultBackend(), 1).requiresGrad(true);
        Tensor unused = Tensor.zerosUnscoped(Tensor.defaultBackend(), 1).requiresGrad(true);
        unused.copyFrom(new float[]{5f});
        AdamW opt = AdamW.of(List.of(used, unused), 0.1f, 0.5f);
        used.mul(2f).sum().backward();
        opt.step();
        assertEquals(5f, unused.item(), "no gradient -> no decay, no update (torch skips grad=None)");
        assertTrue(used.item() < 0f);
    }

    @Test
    void warmupThenLinearDecay() {
        LinearWarmupSchedule s = new LinearWarmupSchedule(10, 110);
        assertEquals(0f, s.multiplier(0));
        assertEquals(0.5f, s.multiplier(5));
        assertEquals(1f, s.multiplier(10));
        assertEquals(0.5f, s.multiplier(60));
        assertEquals(0f, s.multiplier(110));
    }

    @Test
    void warmupStepsAreRoundedUpAsHfDoes() {
        // Expected values: Python's math.ceil(n * ratio), what HF Trainer's get_warmup_steps computes.
        assertEquals(124, LinearWarmupSchedule.warmupSteps(1234, 0.1f)); // 123.4 -> 124 (rounding to nearest gave 123)
        assertEquals(1, LinearWarmupSchedule.warmupSteps(4, 0.1f));      // 0.4 -> 1: some warmup, not none
        assertEquals(1, LinearWarmupSchedule.warmupSteps(12, 0.06f));    // 0.72 -> 1
        assertEquals(3, LinearWarmupSchedule.warmupSteps(25, 0.1f));     // 2.5 -> 3
        assertEquals(3, LinearWarmupSchedule.warmupSteps(30, 0.1f));     // 3.0 exactly, not 30 * 0.10000000149f -> 4
        assertEquals(15, LinearWarmupSchedule.warmupSteps(50, 0.3f));
        assertEquals(0, LinearWarmupSchedule.warmupSteps(40, 0f));
        assertEquals(7, LinearWarmupSchedule.warmupSteps(7, 1f));
    }

    @Test
    void clippingUsesTheGlobalNorm() {
        Tensor a = Tensor.zerosUnscoped(Tensor.defaultBackend(), 2).requiresGrad(true);
        Tensor b = Tensor.zerosUnscoped(Tensor.defaultBackend(), 1).requiresGrad(true);
        a.accumulateGrad(Tensor.of(new float[]{3, 0}, 2));
        b.accumulateGrad(Tensor.of(new float[]{4}, 1));
        double norm = GradClipping.clipGlobalNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-9);
        // scaled by 1 / (5 + 1e-6)
        assertArrayEquals(new float[]{(float) (3 / (5 + 1e-6)), 0}, a.grad().toFloatArray(), 1e-7f);
        assertEquals(4 / (5 + 1e-6), b.grad().item(), 1e-7);
    }
}
