package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.nn.Dropout;
import io.elektron.core.nn.Embedding;
import io.elektron.core.nn.LayerNorm;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;

import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * word + position + token-type embeddings -> LayerNorm -> dropout, each of size embedding_size (HF
 * ElectraEmbeddings). Position ids are 0..T-1.
 *
 * <p>The word-embedding output (the "embedded sequence") can pass through a hook before the sum: the Miyato form of
 * adversarial training adds its perturbation there. The word-embedding matrix itself is the target of the matrix form
 * of FGM, which reads the rows its backward touched.
 */
public final class ElectraEmbeddings extends Module {
    private final Embedding wordEmbeddings; // [V, E]
    private final Embedding positionEmbeddings; // [P, E]
    private final Embedding tokenTypeEmbeddings; // [types, E]
    private final LayerNorm layerNorm;
    private final Dropout dropout;
    private final int maxPositions;
    private UnaryOperator<Tensor> wordEmbeddingHook;

    public ElectraEmbeddings(ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        float std = c.initializerRange();
        wordEmbeddings = registerModule("word_embeddings", new Embedding(c.vocabSize(), c.embeddingSize(), c.padTokenId(), init, std));
        positionEmbeddings = registerModule("position_embeddings", new Embedding(c.maxPositionEmbeddings(), c.embeddingSize(), -1, init, std));
        tokenTypeEmbeddings = registerModule("token_type_embeddings", new Embedding(c.typeVocabSize(), c.embeddingSize(), -1, init, std));
        layerNorm = registerModule("LayerNorm", new LayerNorm(c.embeddingSize(), c.layerNormEps()));
        dropout = new Dropout(c.hiddenDropoutProb(), seeds);
        registerModule("dropout", dropout);
        maxPositions = c.maxPositionEmbeddings();
    }

    /** [B, T] ids -> [B, T, E] */
    public Tensor forward(EncoderInput in) {
        int b = in.batch();
        int t = in.length();
        if (t > maxPositions) {
            throw new IllegalArgumentException("sequence length " + t + " exceeds max_position_embeddings " + maxPositions
                    + " (truncate with --max-length)");
        }
        checkTokenTypes(in.tokenTypeIds());
        Tensor words = wordEmbeddings.forward(in.inputIds(), b, t); // [B, T, E]
        if (wordEmbeddingHook != null) words = wordEmbeddingHook.apply(words);
        int[] positions = new int[t];
        for (int i = 0; i < t; i++) positions[i] = i;
        Tensor pos = positionEmbeddings.forward(positions, t); // [T, E], broadcast over B
        Tensor types = tokenTypeEmbeddings.forward(in.tokenTypeIds(), b, t); // [B, T, E]
        Tensor sum = words.add(types).add(pos);
        return emit(dropout.forward(layerNorm.forward(sum)));
    }

    /**
     * Packed execution: [N] real tokens -> [N, E]. Each token's position id is its place within its own sequence,
     * so every row equals the padded forward's row at that token.
     */
    public Tensor forward(PackedInput in) {
        int n = in.tokens();
        if (in.sequences().maxLength() > maxPositions) {
            throw new IllegalArgumentException("sequence length " + in.sequences().maxLength()
                    + " exceeds max_position_embeddings " + maxPositions + " (truncate with --max-length)");
        }
        checkTokenTypes(in.tokenTypeIds());
        Tensor words = wordEmbeddings.forward(in.inputIds(), n); // [N, E]
        if (wordEmbeddingHook != null) words = wordEmbeddingHook.apply(words);
        Tensor pos = positionEmbeddings.forward(in.positionIds(), n); // [N, E]
        Tensor types = tokenTypeEmbeddings.forward(in.tokenTypeIds(), n); // [N, E]
        Tensor sum = words.add(types).add(pos);
        return emit(dropout.forward(layerNorm.forward(sum)));
    }

    private void checkTokenTypes(int[] tokenTypeIds) {
        for (int i = 0; i < tokenTypeIds.length; i++) {
            int type = tokenTypeIds[i];
            if (type < 0 || type >= tokenTypeEmbeddings.num()) {
                throw new IllegalArgumentException("token_type_id " + type + " at position " + i + " is outside [0, "
                        + tokenTypeEmbeddings.num() + ")");
            }
        }
    }

    /** Sets (or clears, with null) the hook applied to the word-embedding output ([B, T, E] padded, [N, E] packed). */
    public void setWordEmbeddingHook(UnaryOperator<Tensor> hook) {
        this.wordEmbeddingHook = hook;
    }

    public Embedding wordEmbeddings() {
        return wordEmbeddings;
    }
}
