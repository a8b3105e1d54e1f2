package io.elektron.model.inspect;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.optim.GradClipping;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import io.elektron.model.Golden;
import io.elektron.model.hf.HfModels;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectorTest {
    private static final Golden TINY = Golden.fixture("tiny");
    private static final String TEXT = "unaffable running cafes are not very good or happy"; // golden row 2, unpadded

    @Test
    void inspectionOfAClassifierMatchesHf() throws Exception {
        try (Inspector inspector = Inspector.fromFolder(TINY.folder())) {
            assertTrue(inspector.isClassifier());
            Inspection r = inspector.inspect(TEXT, null, 128, 2);
            int t = 15;
            List<String> hfTokens = new java.util.ArrayList<>();
            TINY.node("tokens").get(2).forEach(n -> hfTokens.add(n.asText()));
            assertEquals(hfTokens, r.tokens());
            assertArrayEquals(Arrays.copyOfRange(TINY.ints("input_ids"), 2 * t, 3 * t), r.inputIds());
            assertEquals(2, r.layers().size());
            float[] att = TINY.floats("attentions"); // [L, B, heads, T, T]
            int perLayer = att.length / 2;
            int perExample = perLayer / 3;
            for (Inspection.Layer layer : r.layers()) {
                float[] expected = Arrays.copyOfRange(att, layer.index() * perLayer + 2 * perExample, layer.index() * perLayer + 3 * perExample);
                float[] actual = new float[expected.length];
                int k = 0;
                for (float[][] head : layer.attention()) for (float[] row : head) for (float v : row) actual[k++] = v;
                Golden.assertClose("attention layer " + layer.index(), expected, actual, 1e-5, 1e-4);
                for (double e : layer.entropy()) assertTrue(e >= 0 && e <= Math.log(t) + 1e-6, "entropy " + e);
                assertEquals(1.0, sum(layer.clsAttention()), 1e-5);
                assertTrue(layer.hiddenNorm() > 0);
            }
            float[] logits = TINY.floats("logits");
            for (int j = 0; j < 5; j++) {
                assertEquals(1 / (1 + Math.exp(-logits[2 * 5 + j])), r.probabilities()[j], 1e-5, "label " + j);
            }
            assertEquals(2, r.attributions().size());
            int[] order = r.labelsByProbability();
            assertEquals(order[0], r.attributions().get(0).labelIndex());
            assertEquals(t, r.attributions().get(0).scores().length);
        }
    }

    @Test
    void textPairsGetSegmentIds() throws Exception {
        try (Inspector inspector = Inspector.fromFolder(TINY.folder())) {
            Inspection r = inspector.inspect("i love electra", "you hate bad models!", 128, 1);
            assertEquals(12, r.length());
            assertArrayEquals(Arrays.copyOfRange(TINY.ints("token_type_ids"), 15, 27), r.tokenTypeIds());
            float[] logits = TINY.floats("logits");
            for (int j = 0; j < 5; j++) assertEquals(1 / (1 + Math.exp(-logits[5 + j])), r.probabilities()[j], 1e-5);
        }
    }

    @Test
    void anEncoderHasNoProbabilities() throws Exception {
        var loaded = HfModels.encoder(TINY.folder(), 0);
        Inspection r = Inspector.of(loaded.model(), WordPieceTokenizer.fromFolder(TINY.folder())).inspect("hello world", null, 16, 3);
        assertNull(r.probabilities());
        assertTrue(r.attributions().isEmpty());
        assertEquals(2, r.layers().size());
    }

    @Test
    void attributionIsGradientTimesInputOnTheAdversarialHookPoint() throws Exception {
        ElectraForSequenceClassification m = HfModels.sequenceClassifier(TINY.folder(), null, 0).model();
        m.eval();
        EncoderInput in = TINY.input();
        EncoderInput one = new EncoderInput(1, 15, Arrays.copyOfRange(in.inputIds(), 30, 45),
                Arrays.copyOfRange(in.attentionMask(), 30, 45), Arrays.copyOfRange(in.tokenTypeIds(), 30, 45));
        List<TokenAttribution> a = TokenAttribution.compute(m, one, 3);
        for (Tensor p : m.parameters()) {
            assertTrue(p.requiresGrad(), "parameters unfrozen afterwards");
            assertNull(p.grad(), "no parameter gradient computed");
        }
        // Reference: the FGM-Miyato path itself (retainGrad on the word-embedding output, parameters trainable).
        float[] expected = new float[15];
        try (TensorScope s = TensorScope.open()) {
            Tensor[] words = new Tensor[1];
            m.electra().embeddings().setWordEmbeddingHook(e -> words[0] = e.retainGrad());
            Tensor logits = m.forward(one).logits();
            m.electra().embeddings().setWordEmbeddingHook(null);
            logits.mul(Tensor.of(new float[]{0, 0, 0, 1, 0}, 1, 5)).sum().backward();
            float[] x = words[0].toFloatArray();
            float[] g = words[0].grad().toFloatArray();
            for (int i = 0; i < x.length; i++) expected[i / 16] += x[i] * g[i];
        }
        Golden.assertClose("gradient x input", expected, a.get(0).scores(), 1e-6, 1e-4);
        assertEquals("LABEL_3", a.get(0).label());
    }

    @Test
    void gradientNormsByLayer() throws Exception {
        ElectraForSequenceClassification m = HfModels.sequenceClassifier(TINY.folder(), null, 0).model();
        m.eval();
        try (TensorScope s = TensorScope.open()) {
            EncoderInput in = TINY.input();
            ElectraForSequenceClassification.loss(m.forward(in).logits(), Tensor.of(TINY.floats("labels"), 3, 5), null).backward();
        }
        Map<String, Double> layers = GradientNorms.perLayer(m);
        assertEquals(List.of("embeddings", "embeddings_project", "encoder.layer.0", "encoder.layer.1", "classifier"),
                List.copyOf(layers.keySet()));
        double sq = 0;
        for (double v : GradientNorms.perParameter(m).values()) sq += v * v;
        double global = GradientNorms.global(m);
        assertEquals(Math.sqrt(sq), global, 1e-9);
        assertEquals(GradClipping.clipGlobalNorm(m.parameters(), 1e9), global, 1e-4 * global);
        assertEquals("encoder.layer.11", GradientNorms.layerOf("electra.encoder.layer.11.output.dense.weight"));
        assertEquals("classifier", GradientNorms.layerOf("classifier.out_proj.bias"));
    }

    @Test
    void attributionPageEscapesTokens() {
        String html = AttributionHtml.render("a <b>", List.of("[CLS]", "<script>", "&"),
                List.of(new TokenAttribution("joy", 0, 0.9f, new float[]{0.1f, -0.5f, 0f})));
        assertTrue(html.contains("&lt;script&gt;"));
        assertTrue(html.contains("a &lt;b&gt;"));
        assertTrue(!html.contains("<script>"));
        assertEquals(3, html.split("class=\"tok\" title=").length - 1);
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return s;
    }
}
