package io.elektron.model.pretrain;

import io.elektron.model.EncoderInput;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenMaskerTest {
    private final PretrainGolden g = PretrainGolden.get();
    private final WordPieceTokenizer tiny = WordPieceTokenizer.fromFolder(g.folder("discriminator"));

    @Test
    void perRowCountFollowsTheFixturesRuleAndNeverMasksSpecials() {
        EncoderInput original = g.input("inputs/original_ids");
        TokenMasker masker = TokenMasker.forTokenizer(tiny, MaskingOptions.defaults());
        for (long seed = 0; seed < 50; seed++) {
            MaskedBatch b = masker.mask(original, new SplittableRandom(seed));
            // 7, 10 and 12 maskable tokens: k = max(1, round(0.15 n)) = 1, 2, 2 (5 of 32, as the fixture).
            int[] perRow = new int[3];
            for (int p : b.positions()) perRow[p / original.length()]++;
            assertArrayEquals(new int[]{1, 2, 2}, perRow);
            for (int i = 0; i < b.count(); i++) {
                int p = b.positions()[i];
                assertEquals(1, original.attentionMask()[p]);
                assertFalse(tiny.isSpecialId(original.inputIds()[p]), "masked a special token at " + p);
                assertEquals(original.inputIds()[p], b.originalIds()[i]);
                assertEquals(tiny.maskId(), b.masked().inputIds()[p]);
            }
            int changed = 0;
            for (int i = 0; i < original.inputIds().length; i++) changed += original.inputIds()[i] != b.masked().inputIds()[i] ? 1 : 0;
            assertEquals(5, changed, "only the chosen positions change");
        }
    }

    @Test
    void theSameSeedGivesTheSameMask() {
        EncoderInput original = g.input("inputs/original_ids");
        TokenMasker masker = TokenMasker.forTokenizer(tiny, MaskingOptions.defaults());
        MaskedBatch a = masker.mask(original, new SplittableRandom(11));
        MaskedBatch b = masker.mask(original, new SplittableRandom(11));
        assertArrayEquals(a.positions(), b.positions());
        boolean differs = false;
        for (long s = 12; s < 20 && !differs; s++) {
            differs = !Arrays.equals(a.positions(), masker.mask(original, new SplittableRandom(s)).positions());
        }
        assertTrue(differs, "other seeds choose other positions");
    }

    @Test
    void bernoulliMasksAboutFifteenPercent() {
        WordPieceTokenizer real = realVocab();
        int t = 64;
        int b = 64;
        int[] ids = new int[b * t];
        int[] mask = new int[b * t];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i % t == 0 ? real.clsId() : i % t == t - 1 ? real.sepId() : 1000 + r.nextInt(20000);
            mask[i] = 1;
        }
        EncoderInput in = new EncoderInput(b, t, ids, mask, new int[b * t]);
        TokenMasker masker = TokenMasker.forTokenizer(real, MaskingOptions.defaults().withMode(MaskingOptions.Mode.BERNOULLI));
        MaskedBatch mb = masker.mask(in, new SplittableRandom(5));
        double share = mb.count() / (double) (b * (t - 2));
        assertEquals(0.15, share, 0.02);
    }

    @Test
    void wholeWordMaskingTakesContinuationsTogether() {
        // "electra" "##s" style words: ids of "un", "##able" etc. from the tiny vocab.
        int a = tiny.tokenToId("happy");
        int cont = firstContinuation(tiny);
        int t = 12;
        int[] ids = {tiny.clsId(), a, cont, cont, a, cont, a, a, cont, a, cont, tiny.sepId()};
        int[] mask = new int[t];
        Arrays.fill(mask, 1);
        EncoderInput in = new EncoderInput(1, t, ids, mask, new int[t]);
        TokenMasker masker = TokenMasker.forTokenizer(tiny, MaskingOptions.defaults().withWholeWord(true).withProbability(0.3f));
        for (long seed = 0; seed < 40; seed++) {
            MaskedBatch mb = masker.mask(in, new SplittableRandom(seed));
            boolean[] chosen = new boolean[t];
            for (int p : mb.positions()) chosen[p] = true;
            for (int i = 2; i < t - 1; i++) {
                if (ids[i] == cont) assertEquals(chosen[i - 1], chosen[i], "a continuation goes with its word (seed " + seed + ")");
            }
            assertTrue(mb.count() >= 1);
        }
    }

    @Test
    void maskTokenRatioKeepsSomeOriginalTokensButStillPredictsThem() {
        EncoderInput original = g.input("inputs/original_ids");
        TokenMasker masker = TokenMasker.forTokenizer(tiny, MaskingOptions.defaults().withMaskTokenRatio(0f));
        MaskedBatch mb = masker.mask(original, new SplittableRandom(1));
        assertEquals(5, mb.count());
        assertArrayEquals(original.inputIds(), mb.masked().inputIds());
    }

    private static int firstContinuation(WordPieceTokenizer t) {
        for (int id = 0; id < t.vocabSize(); id++) if (t.idToToken(id).startsWith("##")) return id;
        throw new IllegalStateException("no ## token in the tiny vocabulary");
    }

    private static WordPieceTokenizer realVocab() {
        try {
            return PretrainRunTest.realVocab();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
