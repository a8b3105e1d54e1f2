package io.elektron.model;

import io.elektron.core.PackedSequences;

/**
 * A batch's real tokens only, one sequence after another: what the encoder reads in packed execution. Built from a
 * padded {@link EncoderInput} by dropping its padding (attention mask 0); every sequence keeps its own position ids
 * 0..T_s-1, so its outputs are the padded execution's outputs at its real positions.
 *
 * @param inputIds     [N] token ids
 * @param tokenTypeIds [N] segment ids
 * @param positionIds  [N] position of each token within its sequence
 * @param sequences    where each sequence's rows are
 * @param paddedRows   [N] row of each token in the padded [B * T] layout it came from (b * T + t)
 * @param paddedLength T of that padded layout
 */
public record PackedInput(int[] inputIds, int[] tokenTypeIds, int[] positionIds, PackedSequences sequences,
                          int[] paddedRows, int paddedLength) {

    /**
     * Packs a padded batch. Real tokens must form a prefix of each row (the tokenizer's right padding); a row with
     * none, or a real token after padding, is refused.
     */
    public static PackedInput of(EncoderInput in) {
        int b = in.batch();
        int t = in.length();
        int[] mask = in.attentionMask();
        int[] lengths = new int[b];
        for (int s = 0; s < b; s++) {
            int len = 0;
            while (len < t && mask[s * t + len] != 0) len++;
            for (int i = len; i < t; i++) {
                if (mask[s * t + i] != 0) {
                    throw new IllegalArgumentException("sequence " + s + " has a real token at position " + i
                            + " after padding at " + len + ": packed execution needs right padding");
                }
            }
            if (len == 0) throw new IllegalArgumentException("sequence " + s + " of the batch has no real tokens");
            lengths[s] = len;
        }
        PackedSequences sequences = PackedSequences.ofLengths(lengths);
        int n = sequences.tokens();
        int[] ids = new int[n];
        int[] types = new int[n];
        int[] positions = new int[n];
        int[] rows = new int[n];
        for (int s = 0, i = 0; s < b; s++) {
            for (int p = 0; p < lengths[s]; p++, i++) {
                ids[i] = in.inputIds()[s * t + p];
                types[i] = in.tokenTypeIds()[s * t + p];
                positions[i] = p;
                rows[i] = s * t + p;
            }
        }
        return new PackedInput(ids, types, positions, sequences, rows, t);
    }

    /** Number of real tokens N. */
    public int tokens() {
        return inputIds.length;
    }

    /** Number of sequences B. */
    public int batch() {
        return sequences.count();
    }
}
