package io.elektron.model.adversarial;

import io.elektron.core.DeviceScope;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.fenced.FencedBackend;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FreeLB's K ascent passes and FGM-Miyato's two passes each run in a scope of their own, so a step holds one pass's
 * activations at a time: peak device memory (counted by the fenced test device) barely grows with K.
 */
class PassMemoryTest {
    private static long peakFloats(AdversarialTraining method) {
        ElectraConfig config = ElectraConfig.of(200, 32, 32, 2, 2, 64, 64, List.of("a", "b"));
        ElectraForSequenceClassification model;
        try (DeviceScope on = DeviceScope.use(FencedBackend.get())) {
            model = new ElectraForSequenceClassification(config, new SplittableRandom(1), new SeedStream(1));
        }
        int[][] ids = new int[8][48];
        int[][] mask = new int[8][48];
        for (int b = 0; b < 8; b++) {
            for (int t = 0; t < 48; t++) {
                ids[b][t] = 1 + (b * 48 + t) % 199;
                mask[b][t] = 1;
            }
        }
        EncoderInput in = EncoderInput.of(ids, mask, new int[8][48]);
        try (TensorScope step = TensorScope.open()) {
            Tensor targets = Tensor.of(FencedBackend.get(), new float[16], 8, 2);
            FencedBackend.resetPeak();
            method.step(new StepContext(model, model.electra().embeddings(), in,
                    () -> ElectraForSequenceClassification.loss(model.forward(in).logits(), targets, null), 1f));
            return FencedBackend.peakFloats();
        } finally {
            model.close();
        }
    }

    @Test
    void freeLbHoldsOnePassOfActivationsWhateverK() {
        long one = peakFloats(new FreeLb(0f, 0.1f, 1, 0f));
        long eight = peakFloats(new FreeLb(0f, 0.1f, 8, 0f));
        System.out.printf("FreeLB peak device floats: K=1 %,d, K=8 %,d%n", one, eight);
        assertTrue(eight < 1.3 * one, "K=8 holds " + eight + " floats at its peak, K=1 " + one);
    }

    @Test
    void fgmMiyatoReleasesTheCleanPassBeforeTheAdversarialOne() {
        long none = peakFloats(new NoAdversary());
        long miyato = peakFloats(new FgmMiyato(0.3f));
        System.out.printf("peak device floats: none %,d, fgm-miyato %,d%n", none, miyato);
        assertTrue(miyato < 1.3 * none, "fgm-miyato holds " + miyato + " floats at its peak, one clean pass " + none);
    }
}
