package io.elektron.examples.docs;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import io.elektron.model.adversarial.Fgm;
import io.elektron.model.adversarial.FgmMiyato;
import io.elektron.model.adversarial.StepContext;
import io.elektron.model.adversarial.StepStats;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snippets of docs/internals/07-adversarial-training.md. */
class AdversarialTourTest {
    private static ElectraForSequenceClassification tinyModel() {
        ElectraConfig config = ElectraConfig.of(100, 16, 16, 1, 2, 32, 16, List.of("joy", "anger"));
        var model = new ElectraForSequenceClassification(config, new SplittableRandom(3), new SeedStream(3));
        model.eval(); // no dropout: the two passes differ only by the perturbation
        return model;
    }

    @Test
    void fgmOnTheEmbeddingMatrix() {
        var model = tinyModel();
        EncoderInput in = EncoderInput.of(new int[][]{{2, 10, 11, 12, 3}, {2, 20, 21, 3, 0}},
                new int[][]{{1, 1, 1, 1, 1}, {1, 1, 1, 1, 0}}, new int[][]{{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}});
        Tensor targets = Tensor.of(new float[]{1, 0, 0, 1}, 2, 2);
        Tensor weight = model.electra().embeddings().wordEmbeddings().weight();   // the perturbed tensor, by identity
        float[] before = weight.toFloatArray();

        StepStats stats;
        try (TensorScope step = TensorScope.open()) {
            StepContext ctx = new StepContext(model, model.electra().embeddings(), in,
                    () -> ElectraForSequenceClassification.loss(model.forward(in).logits(), targets, null), 1f);
            stats = new Fgm(1f).step(ctx);   // clean fwd+bwd, attack, adversarial fwd+bwd, restore
        }
        assertEquals(1.0, stats.perturbationNorm(), 1e-5);  // ||r||_F = eps over the touched rows
        assertTrue(stats.lossIncrease() > 0);                 // the attack found a worse point
        assertArrayEquals(before, weight.toFloatArray());     // and the matrix is restored bit for bit
        assertArrayEquals(new int[]{2, 3, 10, 11, 12, 20, 21}, weight.gradTouchedRows()); // rows of this batch only
    }

    @Test
    void fgmOnTheEmbeddedSequence() {
        var model = tinyModel();
        EncoderInput in = EncoderInput.of(new int[][]{{2, 10, 11, 12, 3}, {2, 20, 21, 3, 0}},
                new int[][]{{1, 1, 1, 1, 1}, {1, 1, 1, 1, 0}}, new int[][]{{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}});
        Tensor targets = Tensor.of(new float[]{1, 0, 0, 1}, 2, 2);
        StepStats stats;
        try (TensorScope step = TensorScope.open()) {
            stats = new FgmMiyato(1f).step(new StepContext(model, model.electra().embeddings(), in,
                    () -> ElectraForSequenceClassification.loss(model.forward(in).logits(), targets, null), 1f));
        }
        assertEquals(1.0, stats.perturbationNorm(), 1e-5);  // every example's r_b has norm eps (padding held at 0)
        assertTrue(stats.lossIncrease() > 0);
    }

    @Test
    void tokenIdsAreNotACoordinateSystem(@TempDir Path dir) throws Exception {
        Path vocab = dir.resolve("vocab.txt");
        try (InputStream in = getClass().getResourceAsStream("/io/elektron/cli/vocab/bert-base-uncased-vocab.txt")) {
            Files.copy(in, vocab);
        }
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromVocab(vocab);
        int[] ids = tokenizer.encode("i love this movie").inputIds();  // [CLS] i love this movie [SEP]
        assertEquals("love", tokenizer.idToToken(ids[2]));
        // "ids + sign(grad)" moves an id to its neighbours in vocab.txt, whose order means nothing:
        assertEquals("2006", tokenizer.idToToken(ids[2] + 1));
        assertEquals("let", tokenizer.idToToken(ids[2] - 1));
    }
}
