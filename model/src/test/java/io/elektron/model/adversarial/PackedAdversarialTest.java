package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import io.elektron.model.Golden;
import io.elektron.model.hf.HfModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.elektron.model.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every adversarial method does the same step whether the model runs padded or packed: same losses, same perturbation
 * norm, same accumulated gradients (the PyTorch reference step for both executions: AdversarialParityTest).
 */
class PackedAdversarialTest {
    // Padded and packed each match the PyTorch reference within atol 1e-7 + rtol 1e-5: every gradient of the clean
    // backward (HfParityTest, PackedExecutionTest) and FGM's accumulated ones (AdversarialParityTest). Two computations
    // each within that bound of the reference are within twice it of each other.
    private static final double GRAD_ATOL = 2e-7;
    private static final double GRAD_RTOL = 2e-5;

    private record Result(StepStats stats, Map<String, float[]> grads) {
    }

    private static Result step(AdversarialTraining method, boolean packed) throws Exception {
        Golden g = Golden.fixture("tiny");
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(g.folder(), null, 0).model();
        model.eval();
        EncoderInput in = g.input();
        try (TensorScope scope = TensorScope.open()) {
            Tensor targets = Tensor.of(g.floats("labels"), in.batch(), 5);
            LossFunction loss = () -> ElectraForSequenceClassification.loss(
                    (packed ? model.forwardPacked(in) : model.forward(in)).logits(), targets, null);
            StepStats stats = method.step(new StepContext(model, model.electra().embeddings(), in, loss, 1f));
            Map<String, float[]> grads = new LinkedHashMap<>();
            model.namedParameters().forEach((name, p) -> grads.put(name, p.grad() == null ? null : p.grad().toFloatArray()));
            return new Result(stats, grads);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fgm", "fgm-miyato", "pgd", "freelb", "freelb-init"})
    void packedStepEqualsPaddedStep(String name) throws Exception {
        AdversarialTraining method = name.equals("freelb-init") ? new FreeLb(0.5f, 0.3f, 3, 0.1f)
                : AdversarialTraining.parse(name, 1f, 0.3f, 3);
        Result padded = step(method, false);
        Result packed = step(method, true);
        assertEquals(padded.stats().cleanLoss(), packed.stats().cleanLoss(), 1e-5, "clean loss");
        assertEquals(padded.stats().adversarialLoss(), packed.stats().adversarialLoss(), 1e-5, "adversarial loss");
        assertEquals(padded.stats().perturbationNorm(), packed.stats().perturbationNorm(), 1e-5, "perturbation norm");
        for (String p : padded.grads().keySet()) {
            assertClose(name + " grad " + p, padded.grads().get(p), packed.grads().get(p), GRAD_ATOL, GRAD_RTOL);
        }
    }
}
