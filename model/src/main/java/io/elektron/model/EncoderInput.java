package io.elektron.model;

import java.util.Arrays;

/**
 * A padded batch of token ids as the encoder reads it: row-major [batch, length] arrays.
 *
 * @param inputIds      [B, T] token ids
 * @param attentionMask [B, T] 1 for real tokens, 0 for padding
 * @param tokenTypeIds  [B, T] segment ids (0 for the first text, 1 for the second of a pair)
 */
public record EncoderInput(int batch, int length, int[] inputIds, int[] attentionMask, int[] tokenTypeIds) {
    public EncoderInput {
        long n = (long) batch * length;
        if (batch <= 0 || length <= 0) throw new IllegalArgumentException("empty batch: " + batch + " x " + length);
        if (inputIds.length != n || attentionMask.length != n || tokenTypeIds.length != n) {
            throw new IllegalArgumentException("batch " + batch + " x " + length + " needs " + n + " ids, mask values and"
                    + " token types, got " + inputIds.length + ", " + attentionMask.length + ", " + tokenTypeIds.length);
        }
    }

    /** Number of non-padding tokens. */
    public long realTokens() {
        long n = 0;
        for (int m : attentionMask) n += m != 0 ? 1 : 0;
        return n;
    }

    /** Additive attention mask [B, T]: 0 where attended, float32 min where padded (HF's value). */
    public float[] additiveMask() {
        float[] out = new float[attentionMask.length];
        for (int i = 0; i < out.length; i++) out[i] = attentionMask[i] != 0 ? 0f : -Float.MAX_VALUE;
        return out;
    }

    public static EncoderInput of(int[][] ids, int[][] mask, int[][] types) {
        int b = ids.length;
        int t = ids[0].length;
        int[] flatIds = new int[b * t];
        int[] flatMask = new int[b * t];
        int[] flatTypes = new int[b * t];
        for (int i = 0; i < b; i++) {
            if (ids[i].length != t) throw new IllegalArgumentException("row " + i + " has " + ids[i].length + " ids, row 0 has " + t);
            System.arraycopy(ids[i], 0, flatIds, i * t, t);
            System.arraycopy(mask[i], 0, flatMask, i * t, t);
            System.arraycopy(types[i], 0, flatTypes, i * t, t);
        }
        return new EncoderInput(b, t, flatIds, flatMask, flatTypes);
    }

    @Override
    public String toString() {
        return "EncoderInput[" + batch + " x " + length + ", ids " + Arrays.toString(Arrays.copyOf(inputIds, Math.min(8, inputIds.length))) + "...]";
    }
}
