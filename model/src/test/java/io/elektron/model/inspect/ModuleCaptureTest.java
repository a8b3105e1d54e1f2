package io.elektron.model.inspect;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.nn.Module;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import io.elektron.model.Golden;
import io.elektron.model.hf.HfModels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Capturing outputs and gradients of named modules of the HF fixture, checked against HF's own hidden states. */
class ModuleCaptureTest {
    private static final Golden TINY = Golden.fixture("tiny");

    private static ElectraForSequenceClassification model() throws Exception {
        ElectraForSequenceClassification m = HfModels.sequenceClassifier(TINY.folder(), null, 0).model();
        m.eval();
        return m;
    }

    private static Tensor loss(ElectraForSequenceClassification m, EncoderInput in) {
        Tensor targets = Tensor.of(TINY.floats("labels"), in.batch(), 5);
        return ElectraForSequenceClassification.loss(m.forward(in).logits(), targets, null);
    }

    @Test
    void outputsOfNamedModulesAreHfHiddenStates() throws Exception {
        ElectraForSequenceClassification m = model();
        EncoderInput in = TINY.input();
        float[] hidden = TINY.floats("hidden_states"); // [L + 1, B, T, H]
        int per = hidden.length / 3;
        try (TensorScope s = TensorScope.open();
             ModuleCapture c = ModuleCapture.outputs(m, "encoder.layer.0", "electra.encoder.layer.1", "encoder",
                     "encoder.layer.0.attention", "encoder.layer.1.attention.self", "embeddings", "classifier")) {
            Tensor logits = m.forward(in).logits();
            Golden.assertClose("layer 0", Arrays.copyOfRange(hidden, per, 2 * per), c.output("encoder.layer.0").values(), 1e-5, 1e-4);
            Golden.assertClose("layer 1", Arrays.copyOfRange(hidden, 2 * per, 3 * per), c.output("electra.encoder.layer.1").values(), 1e-5, 1e-4);
            assertArrayEquals(c.output("electra.encoder.layer.1").values(), c.output("encoder").values());
            Golden.assertClose("embeddings", TINY.floats("embeddings_output"), c.output("embeddings").values(), 1e-5, 1e-4);
            assertArrayEquals(new int[]{3, 15, 32}, c.output("encoder.layer.0.attention").shape());
            assertArrayEquals(new int[]{3, 15, 32}, c.output("encoder.layer.1.attention.self").shape());
            assertArrayEquals(logits.toFloatArray(), c.output("classifier").values());
        }
        for (Module mod : m.namedModules().values()) assertFalse(mod.hasHooks(), "closing the capture removes every hook");
    }

    @Test
    void gradientsOfOutputsDuringBackward() throws Exception {
        ElectraForSequenceClassification m = model();
        EncoderInput in = TINY.input();
        try (TensorScope s = TensorScope.open();
             ModuleCapture c = ModuleCapture.outputsAndGradients(m, "classifier", "encoder.layer.1", "encoder", "embeddings")) {
            loss(m, in).backward();
            // BCE-with-logits, mean over B x L: dL/dlogit = (sigmoid(logit) - y) / (B * L).
            float[] logits = c.output("classifier").values();
            float[] y = TINY.floats("labels");
            float[] expected = new float[logits.length];
            for (int i = 0; i < logits.length; i++) expected[i] = (float) ((1 / (1 + Math.exp(-logits[i])) - y[i]) / logits.length);
            Golden.assertClose("dL/dlogits", expected, c.gradient("classifier").values(), 1e-7, 1e-5);
            // The encoder's output is the last layer's output: one gradient reaches both.
            assertArrayEquals(c.gradient("encoder").values(), c.gradient("encoder.layer.1").values());
            assertArrayEquals(new int[]{3, 15, 16}, c.gradient("embeddings").shape());
            assertTrue(c.gradient("embeddings").norm() > 0);
        }
    }

    @Test
    void watchingGradientsDoesNotChangeParameterGradients() throws Exception {
        ElectraForSequenceClassification plain = model();
        ElectraForSequenceClassification watched = model();
        EncoderInput in = TINY.input();
        try (TensorScope s = TensorScope.open()) {
            loss(plain, in).backward();
            try (ModuleCapture c = ModuleCapture.outputsAndGradients(watched, "embeddings", "encoder.layer.0.attention",
                    "encoder.layer.0.intermediate", "encoder.layer.1", "classifier")) {
                loss(watched, in).backward();
            }
        }
        for (var e : plain.namedParameters().entrySet()) {
            Tensor other = watched.namedParameters().get(e.getKey());
            assertArrayEquals(e.getValue().grad().toFloatArray(), other.grad().toFloatArray(), 0f, e.getKey());
        }
    }

    @Test
    void everyForwardPassIsRecorded() throws Exception {
        ElectraForSequenceClassification m = model();
        try (TensorScope s = TensorScope.open(); ModuleCapture c = ModuleCapture.outputs(m, "encoder.layer.0")) {
            m.forward(TINY.input());
            m.forward(TINY.input());
            assertEquals(2, c.outputs("encoder.layer.0").size());
            c.clear();
            assertEquals(0, c.outputs("encoder.layer.0").size());
        }
    }

    @Test
    void clearErrors() throws Exception {
        ElectraForSequenceClassification m = model();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ModuleCapture.outputs(m, "encoder.layer.7.attention"));
        assertTrue(unknown.getMessage().contains("encoder.layer.0"), unknown.getMessage());
        try (TensorScope s = TensorScope.open(); ModuleCapture c = ModuleCapture.outputs(m, "encoder.layer.0.attention.self.query")) {
            m.forward(TINY.input());
            IllegalStateException silent = assertThrows(IllegalStateException.class,
                    () -> c.output("encoder.layer.0.attention.self.query"));
            assertTrue(silent.getMessage().contains("Linear"), silent.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.gradient("encoder.layer.0.attention.self.query"));
        }
        for (Module mod : m.namedModules().values()) assertFalse(mod.hasHooks());
    }
}
