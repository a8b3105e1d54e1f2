package io.elektron.examples.docs;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.nn.HookHandle;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.ops.Reductions;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import io.elektron.model.inspect.GradientNorms;
import io.elektron.model.inspect.ModuleCapture;
import io.elektron.model.inspect.ModulePaths;
import io.elektron.model.inspect.TokenAttribution;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snippets of docs/internals/08-inspection.md. */
class InspectionTourTest {
    private static final EncoderInput IN = EncoderInput.of(new int[][]{{2, 10, 11, 12, 3}},
            new int[][]{{1, 1, 1, 1, 1}}, new int[][]{{0, 0, 0, 0, 0}});

    private static ElectraForSequenceClassification model() {
        ElectraConfig config = ElectraConfig.of(100, 16, 32, 2, 4, 64, 32, List.of("joy", "anger"));
        var model = new ElectraForSequenceClassification(config, new SplittableRandom(1), new SeedStream(1));
        model.eval();
        return model;
    }

    @Test
    void captureOutputsAndGradients() {
        var model = model();
        Tensor targets = Tensor.of(new float[]{1, 0}, 1, 2);
        try (TensorScope step = TensorScope.open();
             ModuleCapture capture = ModuleCapture.outputsAndGradients(model, "encoder.layer.1.attention", "classifier")) {
            Tensor loss = ElectraForSequenceClassification.loss(model.forward(IN).logits(), targets, null);
            loss.backward();
            ModuleCapture.Captured attention = capture.output("encoder.layer.1.attention"); // [B, T, H] copied out
            ModuleCapture.Captured dLogits = capture.gradient("classifier");                // dL/dlogits [B, labels]
            assertArrayEquals(new int[]{1, 5, 32}, attention.shape());
            assertArrayEquals(new int[]{1, 2}, dLogits.shape());
        }
        for (Module m : model.namedModules().values()) assertFalse(m.hasHooks()); // closed: back to a null check
    }

    @Test
    void aHookOfYourOwn() {
        var model = model();
        List<Double> norms = new ArrayList<>();
        Module layer0 = ModulePaths.find(model, "encoder.layer.0");
        try (TensorScope step = TensorScope.open();
             HookHandle h = layer0.registerForwardHook((m, out) -> norms.add(Math.sqrt(Reductions.sumOfSquares(out))))) {
            model.forward(IN);
            model.forward(IN);
        }
        assertEquals(2, norms.size());
        assertEquals(norms.get(0), norms.get(1), 1e-9);
    }

    @Test
    void gradientNormsPerLayer() {
        var model = model();
        try (TensorScope step = TensorScope.open()) {
            ElectraForSequenceClassification.loss(model.forward(IN).logits(), Tensor.of(new float[]{1, 0}, 1, 2), null).backward();
        }
        Map<String, Double> perLayer = GradientNorms.perLayer(model);
        assertEquals(List.of("embeddings", "embeddings_project", "encoder.layer.0", "encoder.layer.1", "classifier"),
                List.copyOf(perLayer.keySet()));
        assertTrue(perLayer.get("classifier") > 0);
    }

    @Test
    void tokenAttributions() {
        var model = model();
        List<TokenAttribution> a = TokenAttribution.compute(model, IN, 0, 1); // labels 0 and 1
        assertEquals("joy", a.get(0).label());
        assertEquals(5, a.get(0).scores().length);          // one score per token
        assertTrue(a.get(0).maxAbs() > 0);
    }
}
