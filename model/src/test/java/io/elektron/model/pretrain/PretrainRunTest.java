package io.elektron.model.pretrain;

import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny ELECTRA pre-trained on the bundled GoEmotions sample texts (2,000 Reddit comments, 37k tokens) learns to
 * detect replaced tokens in held-out comments.
 *
 * <p>What this shows and what it does not: after 80 steps (82k tokens) the generator is still weak (MLM loss about 8.6
 * nats against 10.3 for uniform guessing), so many replacements are implausible tokens, and the discriminator finds them
 * in text it has not seen (held-out F1 about 0.6, accuracy above the all-original rate). Trained longer on so small a
 * sample, the generator reaches unigram level and thresholded detection falls again (F1 0.28 after 150 steps): learning
 * to spot plausible-but-wrong tokens needs far more text than this test can afford.
 */
class PretrainRunTest {
    static final String SAMPLE = "/io/elektron/model/sample/goemotions-sample/train.tsv";

    /** The first column of the bundled GoEmotions sample: 2,000 Reddit comments. */
    static List<String> sampleTexts() throws Exception {
        List<String> out = new ArrayList<>();
        try (var in = Objects.requireNonNull(PretrainRunTest.class.getResourceAsStream(SAMPLE), SAMPLE);
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int tab = line.indexOf('\t');
                String text = tab < 0 ? line : line.substring(0, tab);
                if (!text.isBlank()) out.add(text);
            }
        }
        return out;
    }

    static WordPieceTokenizer realVocab() throws Exception {
        Path vocab = Path.of(Objects.requireNonNull(PretrainRunTest.class.getResource("/fixtures/pretrain/bert-base-uncased-vocab.txt")).toURI());
        return WordPieceTokenizer.fromVocab(vocab);
    }

    /**
     * The real uncased vocabulary cut down to the WordPieces these texts use (about 4,700 of 30,522), in the original
     * order: WordPiece's longest-match-first gives the same pieces with the smaller table, and the generator's softmax,
     * its cross-entropy and the sampling get six times cheaper (for the tests of the training loop).
     */
    static WordPieceTokenizer vocabOf(List<String> texts, WordPieceTokenizer full, Path dir) throws Exception {
        boolean[] used = new boolean[full.vocabSize()];
        for (int id = 0; id < used.length; id++) used[id] = full.isSpecialId(id);
        for (String t : texts) for (int id : full.encodeIds(t)) used[id] = true;
        List<String> lines = new ArrayList<>();
        for (int id = 0; id < used.length; id++) if (used[id]) lines.add(full.idToToken(id));
        Path vocab = dir.resolve("vocab.txt");
        java.nio.file.Files.write(vocab, lines, StandardCharsets.UTF_8);
        return WordPieceTokenizer.fromVocab(vocab);
    }

    static ElectraConfig tinyDiscriminator(int vocab, int maxLength) {
        return ElectraConfig.of(vocab, 32, 64, 2, 2, 128, maxLength, List.of());
    }

    @Test
    void tinyModelBeatsTheAllOriginalBaselineOnHeldOutText(@TempDir Path dir) throws Exception {
        List<String> texts = sampleTexts();
        WordPieceTokenizer tokenizer = realVocab();
        int maxLength = 64;
        List<int[]> train = PretrainCorpus.pack(texts.subList(0, 1800), tokenizer, maxLength);
        List<int[]> heldOut = PretrainCorpus.pack(texts.subList(1800, texts.size()), tokenizer, maxLength);
        ElectraConfig disc = tinyDiscriminator(tokenizer.vocabSize(), maxLength);
        RtdModel model = RtdModel.create(disc, RtdModel.generatorConfig(disc, 0.25), 1, new SeedStream(1));
        PretrainOptions options = PretrainOptions.defaults().withSteps(80).withBatchSize(16).withLearningRate(2e-3f).withSeed(1);
        TokenMasker masker = TokenMasker.forTokenizer(tokenizer, options.masking());
        ElectraPretrainer pretrainer = new ElectraPretrainer(model, masker, tokenizer.padId(), null, options,
                dir.resolve("run"), null);
        RtdEvaluation before = pretrainer.evaluate(heldOut);
        long t0 = System.nanoTime();
        ElectraPretrainer.Result result = pretrainer.train(train, heldOut, null);
        System.out.printf("%d train / %d held-out sequences, %d steps in %.1f s%nbefore: %s%nafter:  %s%n", train.size(),
                heldOut.size(), result.steps().size(), (System.nanoTime() - t0) / 1e9, before, result.heldOut());
        RtdCounts after = result.heldOut().counts();
        assertTrue(after.f1() > 0.3, "held-out replaced-class F1 " + after.f1() + " (the all-original baseline scores 0)");
        assertTrue(after.precision() > 2 * (after.replaced() / (double) after.total()),
                "precision " + after.precision() + " is well above the replaced share (what guessing gets)");
        assertTrue(after.accuracy() > after.allOriginalAccuracy(), "accuracy " + after.accuracy()
                + " vs all-original " + after.allOriginalAccuracy());
    }
}
