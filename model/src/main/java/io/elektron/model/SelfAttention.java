package io.elektron.model;

import io.elektron.core.PackedSequences;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.Dropout;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.ops.AttentionProducts;
import io.elektron.core.ops.PackedAttention;
import io.elektron.core.ops.Softmax;

import java.util.SplittableRandom;

/**
 * Multi-head scaled dot-product self-attention (HF ElectraSelfAttention): Q, K, V projections, softmax(QK^T / sqrt(d)
 * + mask), dropout on the probabilities, probabilities x V. Heads are addressed inside the [B, T, H] projections (see
 * {@link AttentionProducts}); the result is already in merged-head layout.
 */
public final class SelfAttention extends Module {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Dropout dropout;
    private final int heads;
    private final float scale;

    public SelfAttention(ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        int h = c.hiddenSize();
        query = registerModule("query", new Linear(h, h, true, init, c.initializerRange()));
        key = registerModule("key", new Linear(h, h, true, init, c.initializerRange()));
        value = registerModule("value", new Linear(h, h, true, init, c.initializerRange()));
        dropout = registerModule("dropout", new Dropout(c.attentionProbsDropoutProb(), seeds));
        heads = c.numAttentionHeads();
        scale = (float) (1.0 / Math.sqrt(c.headSize()));
    }

    /**
     * @param x    [B, T, H]
     * @param mask additive [B, T]
     * @return context [B, T, H] and the attention probabilities [B, heads, T, T] (before dropout)
     */
    public Result forward(Tensor x, Tensor mask) {
        return forward(x, new AttentionLayout.Padded(mask));
    }

    /**
     * @param x      [B, T, H] padded or [N, H] packed, as the layout says
     * @param layout padded (with its additive mask) or packed (with its sequences)
     * @return context in x's layout and the probabilities before dropout: [B, heads, T, T] padded, or packed [S]
     *         ({@link PackedAttention})
     */
    public Result forward(Tensor x, AttentionLayout layout) {
        Tensor q = query.forward(x);
        Tensor k = key.forward(x);
        Tensor v = value.forward(x);
        // Inference needs the raw scores no more once normalised: the softmax reuses their buffer.
        boolean inPlace = !GradMode.isEnabled();
        Tensor probs;
        Tensor context;
        if (layout instanceof AttentionLayout.Packed packed) {
            PackedSequences seqs = packed.sequences();
            Tensor scores = PackedAttention.scores(q, k, heads, seqs); // [S]
            probs = inPlace ? PackedAttention.softmaxInPlace(scores, heads, seqs, scale)
                    : PackedAttention.softmax(scores, heads, seqs, scale);
            context = PackedAttention.context(dropout.forward(probs), v, heads, seqs); // [N, H]
        } else {
            Tensor mask = ((AttentionLayout.Padded) layout).additiveMask();
            Tensor scores = AttentionProducts.scores(q, k, heads); // [B, heads, T, T]
            probs = inPlace ? Softmax.softmaxInPlace(scores, mask, scale) : Softmax.softmax(scores, mask, scale);
            context = AttentionProducts.context(dropout.forward(probs), v, heads); // [B, T, H]
        }
        return new Result(emit(context), probs);
    }

    /** Context vectors and attention probabilities. */
    public record Result(Tensor context, Tensor probabilities) {
    }
}
