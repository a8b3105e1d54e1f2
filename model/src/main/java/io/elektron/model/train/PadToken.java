package io.elektron.model.train;

import io.elektron.model.ElectraConfig;
import io.elektron.tokenizer.WordPieceTokenizer;

/**
 * The id that fills padded positions. Padding is masked out of attention, so any valid id works; HF uses the
 * tokenizer's [PAD] and falls back to config.json's pad_token_id, and so does Elektron (a vocabulary without [PAD]
 * must not turn into an out-of-vocabulary id -1).
 */
public final class PadToken {
    private PadToken() {
    }

    public static int id(WordPieceTokenizer tokenizer, ElectraConfig config) {
        int id = tokenizer.padId();
        return id >= 0 && id < config.vocabSize() ? id : config.padTokenId();
    }
}
