package io.elektron.model.train;

import io.elektron.model.data.Example;
import io.elektron.tokenizer.EncodeOptions;
import io.elektron.tokenizer.Encoding;
import io.elektron.tokenizer.PaddingStrategy;
import io.elektron.tokenizer.TruncationStrategy;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Turns dataset examples into token ids: tokenized text (pairs included) or pre-tokenized ids passed through. */
public final class ExampleEncoder {
    private final WordPieceTokenizer tokenizer;
    private final EncodeOptions options;
    private final int maxLength;

    public ExampleEncoder(WordPieceTokenizer tokenizer, int maxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.options = new EncodeOptions(true, TruncationStrategy.LONGEST_FIRST, maxLength, PaddingStrategy.DO_NOT_PAD);
    }

    public List<TokenizedExample> encode(List<Example> examples) {
        List<TokenizedExample> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) out.add(encode(i, examples.get(i)));
        return out;
    }

    public TokenizedExample encode(int index, Example e) {
        float[] targets = e.hasLabels() ? e.targets() : null;
        if (e.isPreTokenized()) {
            int[] ids = e.inputIds();
            if (e.attentionMask() != null) {
                // Pre-padded rows: keep the real tokens (a prefix of ones); batching pads again as needed.
                int real = 0;
                while (real < e.attentionMask().length && e.attentionMask()[real] != 0) real++;
                for (int i = real; i < e.attentionMask().length; i++) {
                    if (e.attentionMask()[i] != 0) {
                        throw new IllegalArgumentException("example " + (index + 1) + ": attention_mask must be ones then zeros (right padding)");
                    }
                }
                ids = Arrays.copyOf(ids, real);
            }
            if (ids.length == 0) {
                throw new IllegalArgumentException("example " + (index + 1) + ": no real tokens (input_ids is empty or"
                        + " attention_mask is all zeros)");
            }
            if (ids.length > maxLength) ids = Arrays.copyOf(ids, maxLength);
            int[] types = e.tokenTypeIds() == null ? new int[ids.length] : Arrays.copyOf(e.tokenTypeIds(), ids.length);
            for (int id : ids) {
                if (id < 0 || id >= tokenizer.vocabSize()) {
                    throw new IllegalArgumentException("example " + (index + 1) + ": token id " + id
                            + " is outside the vocabulary [0, " + tokenizer.vocabSize() + ")");
                }
            }
            return new TokenizedExample(index, ids, types, targets);
        }
        Encoding enc = e.textPair() == null
                ? tokenizer.encode(e.text(), options)
                : tokenizer.encodePair(e.text(), e.textPair(), options);
        return new TokenizedExample(index, enc.inputIds(), enc.tokenTypeIds(), targets);
    }
}
