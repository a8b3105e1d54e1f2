package io.elektron.model.pretrain;

/**
 * How {@link TokenMasker} chooses the positions the generator must fill in.
 *
 * @param probability    share of the maskable tokens (real, non-special) to choose: 0.15 in BERT and ELECTRA
 * @param mode           per-row count (the fixture's rule) or an independent coin per token
 * @param wholeWord      choose whole words: a {@code ##} continuation is chosen together with the tokens before it
 * @param maskTokenRatio share of the chosen positions shown to the generator as [MASK]; the rest keep their original
 *                       token (still predicted). 1 = always [MASK], as the reference fixture; ELECTRA's original
 *                       code uses 0.85. There is no BERT-style random-token replacement.
 */
public record MaskingOptions(float probability, Mode mode, boolean wholeWord, float maskTokenRatio) {

    /** How many positions a row gets. */
    public enum Mode {
        /**
         * Exactly k = max(1, round(p * n)) of a row's n maskable tokens (round half to even, as Python's round), chosen
         * uniformly without replacement: every row with a maskable token trains the generator, and the number of
         * masked positions per batch is nearly constant. The HF reference fixture uses this rule.
         */
        PER_ROW_COUNT,
        /** Each maskable token (or word) independently with probability p, as HF's DataCollatorForLanguageModeling. */
        BERNOULLI
    }

    public MaskingOptions {
        if (!(probability > 0f && probability < 1f)) {
            throw new IllegalArgumentException("mask probability must be in (0, 1), got " + probability);
        }
        if (mode == null) throw new IllegalArgumentException("masking mode must be given");
        if (!(maskTokenRatio >= 0f && maskTokenRatio <= 1f)) {
            throw new IllegalArgumentException("mask-token ratio must be in [0, 1], got " + maskTokenRatio);
        }
    }

    /** 15% per row, every chosen token replaced by [MASK], token-level: the fixture's rule. */
    public static MaskingOptions defaults() {
        return new MaskingOptions(0.15f, Mode.PER_ROW_COUNT, false, 1f);
    }

    public MaskingOptions withProbability(float p) {
        return new MaskingOptions(p, mode, wholeWord, maskTokenRatio);
    }

    public MaskingOptions withMode(Mode m) {
        return new MaskingOptions(probability, m, wholeWord, maskTokenRatio);
    }

    public MaskingOptions withWholeWord(boolean on) {
        return new MaskingOptions(probability, mode, on, maskTokenRatio);
    }

    public MaskingOptions withMaskTokenRatio(float r) {
        return new MaskingOptions(probability, mode, wholeWord, r);
    }
}
