package io.elektron.model;

import io.elektron.core.Tensor;

import java.util.List;

/**
 * What the encoder returns.
 *
 * @param embeddingOutput after the embeddings LayerNorm, before embeddings_project: [B, T, E]
 * @param hiddenStates    the input to layer 0 (after projection) and every layer's output: L + 1 tensors [B, T, H]
 * @param attentions      per layer [B, heads, T, T] softmax probabilities
 */
public record EncoderOutput(Tensor embeddingOutput, List<Tensor> hiddenStates, List<Tensor> attentions) {
    /** [B, T, H] output of the last layer. */
    public Tensor lastHiddenState() {
        return hiddenStates.get(hiddenStates.size() - 1);
    }
}
