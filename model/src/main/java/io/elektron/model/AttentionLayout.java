package io.elektron.model;

import io.elektron.core.PackedSequences;
import io.elektron.core.Tensor;

/**
 * How a batch's sequences lie in the encoder's activations, which is all attention needs to know: every other
 * operation of a layer works row by row and does not care.
 */
public sealed interface AttentionLayout {
    /** Activations [B, T, H] with padding; the additive mask [B, T] keeps keys off the padded positions (HF's way). */
    record Padded(Tensor additiveMask) implements AttentionLayout {
    }

    /** Activations [N, H] holding real tokens only; each sequence attends to its own rows, no mask needed. */
    record Packed(PackedSequences sequences) implements AttentionLayout {
    }
}
