package io.elektron.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.model.ElectraForMaskedLM;
import io.elektron.model.ElectraForPreTraining;
import io.elektron.model.EncoderInput;
import io.elektron.model.hf.HfModels;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

import static io.elektron.model.Golden.assertClose;
import static io.elektron.model.Golden.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator, the discriminator and one replaced-token-detection step against HF transformers 4.30
 * (fixtures/pretrain). Masked positions and the generator's samples are taken from the fixture, so no random number
 * generator has to match torch's; each model is loaded from model.safetensors and from pytorch_model.bin.
 */
class RtdParityTest {
    static final double FORWARD_ATOL = 1e-5;
    // As HfParityTest: relative 1e-5 with an absolute floor for the analytically-zero key-bias gradients.
    static final double GRAD_ATOL = 1e-7;
    static final double GRAD_RTOL = 1e-5;
    // The RTD step multiplies the discriminator's gradients by 50, and its rounding noise with them (the fixture's own
    // cross-check differs by up to 3.8e-6 there): the same floor, scaled by the weight.
    static final double RTD_GRAD_ATOL = 50 * GRAD_ATOL;

    private final PretrainGolden g = PretrainGolden.get();

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"model.safetensors", "pytorch_model.bin"})
    void generatorMatchesTransformers(String weightsFile) throws Exception {
        var loaded = HfModels.generator(g.onlyWeights("generator", weightsFile), 0);
        assertEquals(0, loaded.report().missing().size(), loaded.report().summary());
        assertEquals(0, loaded.report().unexpected().size(), loaded.report().summary());
        ElectraForMaskedLM generator = loaded.model();
        generator.eval();
        try (TensorScope scope = TensorScope.open()) {
            EncoderInput in = g.input("inputs/masked_input_ids");
            Tensor logits = generator.forward(in);
            assertArrayEquals(new int[]{3, 15, 120}, logits.shape());
            float[] expectedLogits = g.floats("generator/logits");
            assertClose("generator logits", expectedLogits, logits.toFloatArray(), FORWARD_ATOL, 0);
            Tensor loss = ElectraForMaskedLM.loss(logits, g.ints("inputs/mlm_labels"));
            assertEquals(g.node("generator/loss").asDouble(), loss.item(), FORWARD_ATOL, "MLM loss");
            loss.backward();
            int compared = compareGrads("generator", generator.namedParameters(), g.node("generator/grads"),
                    g.node("generator/tied"), GRAD_ATOL);
            assertEquals(g.node("generator/grads").size(), compared);
            System.out.printf("generator (%s): logits max |diff| %.3g, loss diff %.3g%n", weightsFile,
                    maxAbsDiff(expectedLogits, logits.toFloatArray()), Math.abs(loss.item() - g.node("generator/loss").asDouble()));
        }
    }

    @Test
    void maskedPositionHeadEqualsTheFullHead() throws Exception {
        ElectraForMaskedLM generator = HfModels.generator(g.folder("generator"), 0).model();
        generator.eval();
        try (TensorScope scope = TensorScope.open()) {
            EncoderInput in = g.input("inputs/masked_input_ids");
            int[] positions = g.maskedPositions();
            Tensor rows = generator.logitsAt(in, positions); // [5, 120]
            float[] full = g.floats("generator/logits");
            float[] expected = new float[positions.length * 120];
            for (int i = 0; i < positions.length; i++) System.arraycopy(full, positions[i] * 120, expected, i * 120, 120);
            assertClose("logits at masked positions", expected, rows.toFloatArray(), FORWARD_ATOL, 0);
            int[] targets = new int[positions.length];
            int[] labels = g.ints("inputs/mlm_labels");
            for (int i = 0; i < positions.length; i++) targets[i] = labels[positions[i]];
            Tensor loss = io.elektron.core.ops.Losses.crossEntropy(rows, targets, -100);
            assertEquals(g.node("generator/loss").asDouble(), loss.item(), FORWARD_ATOL);
            loss.backward();
            compareGrads("generator (masked rows only)", generator.namedParameters(), g.node("generator/grads"),
                    g.node("generator/tied"), GRAD_ATOL);
        }
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"model.safetensors", "pytorch_model.bin"})
    void discriminatorMatchesTransformers(String weightsFile) throws Exception {
        var loaded = HfModels.discriminator(g.onlyWeights("discriminator", weightsFile), 0);
        assertEquals(0, loaded.report().missing().size(), loaded.report().summary());
        assertEquals(0, loaded.report().unexpected().size(), loaded.report().summary());
        ElectraForPreTraining discriminator = loaded.model();
        discriminator.eval();
        try (TensorScope scope = TensorScope.open()) {
            EncoderInput in = g.input("discriminator/input_ids");
            Tensor logits = discriminator.forward(in);
            float[] expectedLogits = g.floats("discriminator/logits");
            assertClose("discriminator logits", expectedLogits, logits.toFloatArray(), FORWARD_ATOL, 0);
            float[] labels = g.floats("discriminator/rtd_labels");
            Tensor loss = ElectraForPreTraining.loss(logits, in, labels);
            assertEquals(g.node("discriminator/loss").asDouble(), loss.item(), FORWARD_ATOL, "discriminator loss");
            loss.backward();
            int compared = compareGrads("discriminator", discriminator.namedParameters(), g.node("discriminator/grads"), null, GRAD_ATOL);
            assertEquals(g.node("discriminator/grads").size(), compared);
            System.out.printf("discriminator (%s): logits max |diff| %.3g, loss diff %.3g%n", weightsFile,
                    maxAbsDiff(expectedLogits, logits.toFloatArray()), Math.abs(loss.item() - g.node("discriminator/loss").asDouble()));
        }
        try (TensorScope scope = TensorScope.open()) {
            // Without an attention mask HF scores all 45 positions and lets attention see the padding.
            EncoderInput masked = g.input("discriminator/input_ids");
            int[] ones = new int[masked.inputIds().length];
            Arrays.fill(ones, 1);
            EncoderInput unmasked = new EncoderInput(masked.batch(), masked.length(), masked.inputIds(), ones, masked.tokenTypeIds());
            Tensor loss = ElectraForPreTraining.loss(discriminator.forward(unmasked), unmasked, g.floats("discriminator/rtd_labels"));
            assertEquals(g.node("discriminator/loss_without_attention_mask").asDouble(), loss.item(), FORWARD_ATOL);
        }
    }

    @ParameterizedTest(name = "from {0}")
    @ValueSource(strings = {"model.safetensors", "pytorch_model.bin"})
    void rtdStepMatchesTransformers(String weightsFile) throws Exception {
        RtdModel model = load(weightsFile);
        model.eval();
        int maskId = WordPieceTokenizer.fromFolder(g.folder("discriminator")).maskId();
        try (TensorScope scope = TensorScope.open()) {
            EncoderInput original = g.input("inputs/original_ids");
            MaskedBatch batch = MaskedBatch.of(original, g.maskedPositions(), maskId);
            assertArrayEquals(g.ints("inputs/masked_input_ids"), batch.masked().inputIds());
            assertArrayEquals(g.ints("inputs/mlm_labels"), batch.mlmLabels());

            RtdResult r = new RtdObjective(50f).forward(model, batch, ReplacementSampler.fixed(g.ints("sampling/replacement_ids")));
            assertArrayEquals(g.ints("discriminator/input_ids"), r.discriminatorInput().inputIds());
            assertArrayEquals(g.floats("discriminator/rtd_labels"), r.rtdLabels());
            assertEquals(4, r.replacedCount(), "one of the five samples equals the original token");
            assertEquals(g.node("rtd_step/mlm_loss").asDouble(), r.mlmLoss().item(), FORWARD_ATOL);
            assertEquals(g.node("rtd_step/disc_loss").asDouble(), r.discLoss().item(), FORWARD_ATOL);
            assertEquals(g.node("rtd_step/total_loss").asDouble(), r.total().item(), 50 * FORWARD_ATOL);
            assertClose("discriminator logits", g.floats("discriminator/logits"), r.discLogits().toFloatArray(), FORWARD_ATOL, 0);

            r.total().backward();
            JsonNode grads = g.node("rtd_step/grads");
            Map<Tensor, Boolean> seen = new IdentityHashMap<>();
            int compared = 0;
            double worstShared = 0;
            double worstOther = 0;
            for (var e : model.namedParameters().entrySet()) {
                if (seen.put(e.getValue(), Boolean.TRUE) != null) continue; // a shared tensor: once, under discriminator.*
                JsonNode expected = grads.get(e.getKey());
                assertNotNull(expected, "golden rtd_step has no gradient for " + e.getKey());
                assertNotNull(e.getValue().grad(), "no gradient reached " + e.getKey());
                float[] want = PretrainGolden.floats(expected);
                float[] got = e.getValue().grad().toFloatArray();
                assertClose("rtd grad " + e.getKey(), want, got, RTD_GRAD_ATOL, GRAD_RTOL);
                double d = maxAbsDiff(want, got);
                if (e.getKey().startsWith("discriminator.electra.embeddings.")) worstShared = Math.max(worstShared, d);
                else worstOther = Math.max(worstOther, d);
                compared++;
            }
            assertEquals(grads.size(), compared, "every distinct parameter compared");
            assertEquals(64, compared);
            System.out.printf("rtd step (%s): total loss diff %.3g, grad max |diff| shared %.3g, others %.3g%n", weightsFile,
                    Math.abs(r.total().item() - g.node("rtd_step/total_loss").asDouble()), worstShared, worstOther);
        }
    }

    @Test
    void embeddingsAreSharedAndTheHeadTied() throws Exception {
        RtdModel model = load("model.safetensors");
        assertSame(model.discriminator().electra().embeddings(), model.generator().electra().embeddings());
        Map<String, Tensor> named = model.namedParameters();
        assertSame(named.get("discriminator.electra.embeddings.word_embeddings.weight"), named.get("generator.generator_lm_head.weight"));
        JsonNode shared = g.node("rtd_step/shared");
        for (Iterator<Map.Entry<String, JsonNode>> it = shared.fields(); it.hasNext(); ) {
            var e = it.next();
            assertSame(named.get(e.getValue().asText()), named.get(e.getKey()), e.getKey());
        }
        assertEquals(named.size() - shared.size(), model.parameters().size());
        // 21,729 + 5,656 - the 5 shared tables (word 1920, position 1024, type 32, LayerNorm 32) counted once.
        assertEquals(21_729 + 5_656 - (1920 + 1024 + 32 + 32), model.parameterCount());
    }

    @Test
    void discriminatorLossSendsNoGradientIntoTheGeneratorsOwnParameters() throws Exception {
        RtdModel model = load("model.safetensors");
        model.eval();
        int maskId = WordPieceTokenizer.fromFolder(g.folder("discriminator")).maskId();
        try (TensorScope scope = TensorScope.open()) {
            MaskedBatch batch = MaskedBatch.of(g.input("inputs/original_ids"), g.maskedPositions(), maskId);
            RtdResult r = new RtdObjective(50f).forward(model, batch, ReplacementSampler.fixed(g.ints("sampling/replacement_ids")));
            r.discLoss().backward();
            Map<Tensor, Boolean> discriminatorTensors = new IdentityHashMap<>();
            for (Tensor t : model.discriminator().parameters()) discriminatorTensors.put(t, Boolean.TRUE);
            int own = 0;
            for (var e : model.generator().namedParameters().entrySet()) {
                if (discriminatorTensors.containsKey(e.getValue())) {
                    continue; // shared: the discriminator's gradient lands there, as it should
                }
                Tensor grad = e.getValue().grad();
                if (grad != null) {
                    for (float v : grad.toFloatArray()) assertEquals(0f, v, "gradient in generator." + e.getKey());
                }
                own++;
            }
            assertEquals(g.node("generator/grads").size() - 5, own, "the generator's own (non-shared) parameters");
            Tensor word = model.discriminator().electra().embeddings().wordEmbeddings().weight();
            assertTrue(maxAbsDiff(word.grad().toFloatArray(), new float[(int) word.numel()]) > 0, "the shared table gets gradient");
        }
    }

    private RtdModel load(String weightsFile) throws Exception {
        var generator = HfModels.generator(g.onlyWeights("generator", weightsFile), 0).model();
        var discriminator = HfModels.discriminator(g.onlyWeights("discriminator", weightsFile), 0).model();
        return new RtdModel(generator, discriminator);
    }

    /** Compares every parameter's gradient; aliases listed in {@code tied} are the same tensor and skipped. */
    private static int compareGrads(String what, Map<String, Tensor> params, JsonNode golden, JsonNode tied, double atol) {
        int compared = 0;
        double worst = 0;
        for (var e : params.entrySet()) {
            if (tied != null && tied.has(e.getKey())) continue;
            JsonNode expected = golden.get(e.getKey());
            assertNotNull(expected, what + ": golden has no gradient for " + e.getKey());
            assertNotNull(e.getValue().grad(), what + ": no gradient reached " + e.getKey());
            float[] want = PretrainGolden.floats(expected);
            float[] got = e.getValue().grad().toFloatArray();
            assertClose(what + " grad " + e.getKey(), want, got, atol, GRAD_RTOL);
            worst = Math.max(worst, maxAbsDiff(want, got));
            compared++;
        }
        System.out.printf("%s: %d gradients, max |diff| %.3g%n", what, compared, worst);
        return compared;
    }
}
