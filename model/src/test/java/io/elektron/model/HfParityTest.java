package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.model.hf.HfModels;
import io.elektron.model.hf.PretrainedLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.elektron.model.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ELECTRA forward and backward against HuggingFace transformers 4.30 (fixtures/tiny and tiny-proj, golden.json),
 * loading the same weights from model.safetensors and from pytorch_model.bin.
 */
class HfParityTest {
    static final double FORWARD_ATOL = 1e-5;
    // Gradients: relative 1e-5 with an absolute floor for values that are analytically zero (key biases, PITFALLS.md).
    static final double GRAD_ATOL = 1e-7;
    static final double GRAD_RTOL = 1e-5;

    @ParameterizedTest(name = "{0} from {1}")
    @CsvSource({"tiny, model.safetensors", "tiny, pytorch_model.bin", "tiny-proj, model.safetensors", "tiny-proj, pytorch_model.bin"})
    void forwardAndGradientsMatchTransformers(String fixture, String weightsFile) throws Exception {
        Golden g = Golden.fixture(fixture);
        Path folder = onlyWeights(g.folder(), weightsFile);
        var loaded = HfModels.sequenceClassifier(folder, null, 0);
        assertEquals(0, loaded.report().missing().size(), loaded.report().summary());
        assertEquals(0, loaded.report().unexpected().size(), loaded.report().summary());
        ElectraForSequenceClassification model = loaded.model();
        model.eval();
        try (TensorScope scope = TensorScope.open()) {
            EncoderInput in = g.input();
            var out = model.forward(in);
            assertClose("embeddings_output", g.floats("embeddings_output"), out.encoder().embeddingOutput().toFloatArray(), FORWARD_ATOL, 0);
            int layers = out.encoder().hiddenStates().size();
            float[] hidden = g.floats("hidden_states"); // [L+1, B, T, H]
            int per = hidden.length / layers;
            for (int l = 0; l < layers; l++) {
                float[] expected = java.util.Arrays.copyOfRange(hidden, l * per, (l + 1) * per);
                assertClose("hidden_states[" + l + "]", expected, out.encoder().hiddenStates().get(l).toFloatArray(), FORWARD_ATOL, 0);
            }
            float[] attn = g.floats("attentions");
            int perAttn = attn.length / out.encoder().attentions().size();
            for (int l = 0; l < out.encoder().attentions().size(); l++) {
                float[] expected = java.util.Arrays.copyOfRange(attn, l * perAttn, (l + 1) * perAttn);
                assertClose("attentions[" + l + "]", expected, out.encoder().attentions().get(l).toFloatArray(), FORWARD_ATOL, 0);
            }
            assertClose("logits", g.floats("logits"), out.logits().toFloatArray(), FORWARD_ATOL, 0);
            Tensor targets = Tensor.of(g.floats("labels"), in.batch(), model.config().numLabels());
            Tensor loss = ElectraForSequenceClassification.loss(out.logits(), targets, null);
            assertEquals(g.node("loss").asDouble(), loss.item(), FORWARD_ATOL, "loss");

            loss.backward();
            int compared = 0;
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                float[] expected = g.floats("grads_all/" + e.getKey());
                assertClose("grad " + e.getKey(), expected, e.getValue().grad().toFloatArray(), GRAD_ATOL, GRAD_RTOL);
                compared++;
            }
            assertEquals(g.node("grads_all").size(), compared, "every parameter's gradient compared");
        }
    }

    /** A copy of the fixture folder holding one weights format only, so the loader cannot pick the other. */
    static Path onlyWeights(Path fixture, String weightsFile) throws Exception {
        Path dir = Files.createTempDirectory("elektron-" + fixture.getFileName());
        for (String f : new String[]{"config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", weightsFile}) {
            Files.copy(fixture.resolve(f), dir.resolve(f));
        }
        assertEquals(dir.resolve(weightsFile), PretrainedLoader.weightsFile(dir));
        dir.toFile().deleteOnExit();
        return dir;
    }
}
