package io.elektron.model;

import io.elektron.core.PackedSequences;
import io.elektron.core.Tensor;
import io.elektron.core.ops.RowGather;
import io.elektron.core.ops.ShapeOps;

import java.util.List;

/**
 * What the encoder returns, in the layout it ran in: padded ([B, T, ...]) or packed ([N, ...] real tokens only, with
 * {@code packing} saying where each sequence is).
 *
 * @param embeddingOutput after the embeddings LayerNorm, before embeddings_project: [B, T, E] or [N, E]
 * @param hiddenStates    the input to layer 0 (after projection) and every layer's output: L + 1 tensors [B, T, H]
 *                        or [N, H]
 * @param attentions      per layer the softmax probabilities: [B, heads, T, T], or packed [S]
 *                        ({@link io.elektron.core.ops.PackedAttention})
 * @param packed          the packed input (null for padded execution)
 */
public record EncoderOutput(Tensor embeddingOutput, List<Tensor> hiddenStates, List<Tensor> attentions,
                            PackedInput packed) {
    /** Padded execution's output. */
    public EncoderOutput(Tensor embeddingOutput, List<Tensor> hiddenStates, List<Tensor> attentions) {
        this(embeddingOutput, hiddenStates, attentions, null);
    }

    /** [B, T, H] or [N, H] output of the last layer. */
    public Tensor lastHiddenState() {
        return hiddenStates.get(hiddenStates.size() - 1);
    }

    public boolean isPacked() {
        return packed != null;
    }

    /** The last layer's output at each sequence's first token ([CLS]): [B, H], with gradient. */
    public Tensor firstTokenStates() {
        Tensor last = lastHiddenState();
        if (packed != null) return RowGather.gather(last, packed.sequences().firstRows());
        int b = last.size(0);
        return ShapeOps.slice(last, 1, 0, 1).reshape(b, last.size(2));
    }

    /**
     * The last layer's output in the padded layout [B, T, H] whatever the execution: packed rows are laid out at
     * their positions, padded positions hold zeros (padded execution returns its own values there, which HF also
     * computes and every consumer masks out).
     */
    public Tensor paddedLastHiddenState() {
        Tensor last = lastHiddenState();
        if (packed == null) return last;
        int b = packed.batch();
        int t = packed.paddedLength();
        return RowGather.scatter(last, packed.paddedRows(), b * t).reshape(b, t, last.size(1));
    }
}
