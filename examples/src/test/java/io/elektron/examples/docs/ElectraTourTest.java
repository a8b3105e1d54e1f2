package io.elektron.examples.docs;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The snippets of docs/internals/05-electra.md. */
class ElectraTourTest {
    @Test
    void namesAreHfStateDictKeys() {
        // vocab 100, embedding 16, hidden 32, 2 layers, 4 heads, intermediate 64, 32 positions, 2 labels
        ElectraConfig config = ElectraConfig.of(100, 16, 32, 2, 4, 64, 32, List.of("joy", "anger"));
        var model = new ElectraForSequenceClassification(config, new SplittableRandom(1), new SeedStream(1));
        Map<String, Tensor> p = model.namedParameters();
        assertArrayEquals(new int[]{100, 16}, p.get("electra.embeddings.word_embeddings.weight").shape());
        assertArrayEquals(new int[]{32, 16}, p.get("electra.embeddings_project.weight").shape()); // E != H
        assertArrayEquals(new int[]{32, 32}, p.get("electra.encoder.layer.1.attention.self.query.weight").shape());
        assertArrayEquals(new int[]{64, 32}, p.get("electra.encoder.layer.1.intermediate.dense.weight").shape());
        assertArrayEquals(new int[]{32, 64}, p.get("electra.encoder.layer.1.output.dense.weight").shape());
        assertArrayEquals(new int[]{2, 32}, p.get("classifier.out_proj.weight").shape());
        assertEquals(43, p.size()); // embeddings 5 + projection 2 + 16 per layer x 2 + head 4
    }

    @Test
    void shapesThroughTheModel() {
        ElectraConfig config = ElectraConfig.of(100, 16, 32, 2, 4, 64, 32, List.of("joy", "anger"));
        var model = new ElectraForSequenceClassification(config, new SplittableRandom(1), new SeedStream(1));
        model.eval();                                                   // dropout off
        EncoderInput in = EncoderInput.of(new int[][]{{2, 10, 11, 3, 0}}, // [CLS] w1 w2 [SEP] [PAD]
                new int[][]{{1, 1, 1, 1, 0}}, new int[][]{{0, 0, 0, 0, 0}});
        try (TensorScope step = TensorScope.open(); GradMode off = GradMode.disabled()) {
            var out = model.forward(in);
            assertArrayEquals(new int[]{1, 5, 16}, out.encoder().embeddingOutput().shape());   // [B, T, E]
            assertEquals(3, out.encoder().hiddenStates().size());                              // layer 0 input + 2 layers
            assertArrayEquals(new int[]{1, 5, 32}, out.encoder().lastHiddenState().shape());   // [B, T, H]
            assertArrayEquals(new int[]{1, 4, 5, 5}, out.encoder().attentions().get(1).shape()); // [B, heads, T, T]
            assertArrayEquals(new int[]{1, 2}, out.logits().shape());                          // [B, labels]
        }
    }
}
