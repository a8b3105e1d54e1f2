package io.elektron.model.pretrain;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForMaskedLM;
import io.elektron.model.ElectraForPreTraining;
import io.elektron.model.EncoderInput;
import io.elektron.model.hf.HfModels;
import io.elektron.model.train.TrainingDivergedException;
import io.elektron.tokenizer.WordPieceTokenizer;
import io.elektron.weights.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pre-training loop: checkpoints that reload as HF models, exact resume, the NaN guard. */
class ElectraPretrainerTest {
    static WordPieceTokenizer tokenizer;
    static List<int[]> sequences;
    static Path tokenizerFolder;

    @BeforeAll
    static void corpus(@TempDir Path dir) throws Exception {
        List<String> texts = PretrainRunTest.sampleTexts().subList(0, 300);
        tokenizer = PretrainRunTest.vocabOf(texts, PretrainRunTest.realVocab(), dir);
        tokenizerFolder = dir;
        sequences = PretrainCorpus.pack(texts, tokenizer, 32);
    }

    static ElectraConfig config() {
        return ElectraConfig.of(tokenizer.vocabSize(), 16, 32, 1, 2, 64, 32, List.of());
    }

    static PretrainOptions options(int steps) {
        return PretrainOptions.defaults().withSteps(steps).withBatchSize(8).withAccumulation(2).withLearningRate(1e-3f).withSeed(5);
    }

    static ElectraPretrainer pretrainer(int steps, int checkpointEvery, Path out, PretrainListener listener, RtdModel model) {
        PretrainOptions o = options(steps).withCheckpointEvery(checkpointEvery);
        return new ElectraPretrainer(model, TokenMasker.forTokenizer(tokenizer, o.masking()), tokenizer.padId(),
                tokenizerFolder, o, out, listener);
    }

    static RtdModel freshModel(SeedStream seeds) {
        return RtdModel.create(config(), RtdModel.generatorConfig(config(), 0.5), 5, seeds);
    }

    @Test
    void resumingAfterAnInterruptionGivesTheSameModelAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        RtdModel a = freshModel(new SeedStream(5));
        ElectraPretrainer.Result straight = pretrainer(6, 0, dir.resolve("a"), null, a).train(sequences, List.of(), null);

        RtdModel b = freshModel(new SeedStream(5));
        PretrainListener crash = new PretrainListener() {
            @Override
            public void onStep(PretrainStepRecord r) {
                if (r.step() == 5) throw new IllegalStateException("simulated crash after step 5");
            }
        };
        assertThrows(IllegalStateException.class, () -> pretrainer(6, 3, dir.resolve("b"), crash, b).train(sequences, List.of(), null));
        Path last = dir.resolve("b/last");
        assertTrue(Files.isRegularFile(last.resolve("pretrain_state.json")));

        RtdModel c = freshModel(new SeedStream(99)); // weights, optimizer and the seed stream's position: from the checkpoint
        ElectraPretrainer.Result resumed = pretrainer(6, 3, dir.resolve("b"), null, c).train(sequences, List.of(), last);

        assertEquals(6, resumed.steps().size(), "steps 1-3 from the checkpoint, 4-6 run again");
        for (int i = 0; i < 6; i++) {
            assertEquals(straight.steps().get(i).loss(), resumed.steps().get(i).loss(), 0.0, "loss at step " + (i + 1));
        }
        Map<String, Tensor> expected = a.namedParameters();
        for (var e : c.namedParameters().entrySet()) {
            assertArrayEquals(expected.get(e.getKey()).toFloatArray(), e.getValue().toFloatArray(), e.getKey());
        }
    }

    @Test
    void savedFoldersReloadAsTransformersClasses(@TempDir Path dir) throws Exception {
        RtdModel model = freshModel(new SeedStream(5));
        ElectraPretrainer.Result r = pretrainer(3, 0, dir, null, model).train(sequences, sequences.subList(0, 4), null);
        assertTrue(Files.isRegularFile(dir.resolve("steps.csv")));
        assertEquals(3, ElectraPretrainer.readSteps(dir.resolve("steps.csv"), Long.MAX_VALUE).size());
        assertTrue(Files.isRegularFile(r.discriminator().resolve("vocab.txt")));
        try (Checkpoint ckpt = Checkpoint.open(r.generator().resolve("model.safetensors"))) {
            assertFalse(ckpt.contains("generator_lm_head.weight"), "tied: stored once, as HF's safe serialization");
            assertTrue(ckpt.contains("electra.embeddings.word_embeddings.weight"));
            assertTrue(ckpt.contains("generator_lm_head.bias"));
        }
        var gen = HfModels.generator(r.generator(), 0);
        assertEquals(List.of(), gen.report().missing(), gen.report().summary());
        assertEquals(List.of(), gen.report().unexpected(), gen.report().summary());
        var disc = HfModels.discriminator(r.discriminator(), 0);
        assertEquals(List.of(), disc.report().missing(), disc.report().summary());
        assertEquals(List.of(), disc.report().unexpected(), disc.report().summary());
        ElectraForMaskedLM g2 = gen.model();
        ElectraForPreTraining d2 = disc.model();
        model.eval();
        g2.eval();
        d2.eval();
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled()) {
            EncoderInput in = PretrainCorpus.batch(sequences.subList(0, 3), tokenizer.padId());
            assertArrayEquals(model.generator().forward(in).toFloatArray(), g2.forward(in).toFloatArray());
            assertArrayEquals(model.discriminator().forward(in).toFloatArray(), d2.forward(in).toFloatArray());
        }
        // The discriminator folder is also a pretrained encoder for a classifier.
        var classifier = HfModels.sequenceClassifier(r.discriminator(), List.of("a", "b"), 0);
        assertEquals(List.of(), classifier.report().missing().stream().filter(n -> !n.startsWith("classifier.")).toList());
    }

    @Test
    void aNonFiniteLossStopsTheRun(@TempDir Path dir) {
        RtdModel model = freshModel(new SeedStream(5));
        PretrainOptions o = options(20).withLearningRate(1e30f).withWarmupSteps(0).withMaxGradNorm(1e30f);
        ElectraPretrainer p = new ElectraPretrainer(model, TokenMasker.forTokenizer(tokenizer, o.masking()),
                tokenizer.padId(), null, o, dir, null);
        var e = assertThrows(TrainingDivergedException.class, () -> p.train(sequences, List.of(), null));
        assertTrue(e.getMessage().contains("last good checkpoint"), e.getMessage());
    }
}
