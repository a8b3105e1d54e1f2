package io.elektron.model.pretrain;

import io.elektron.model.EncoderInput;

import java.util.Arrays;

/**
 * A batch prepared for one replaced-token-detection step.
 *
 * @param original    the real token ids [B, T] (padding, attention mask and token types as the model reads them)
 * @param masked      the generator's input: {@code original} with the chosen positions set to [MASK]
 * @param positions   the chosen flat positions {@code b * T + t}, ascending
 * @param originalIds the original token at each chosen position (the MLM targets)
 */
public record MaskedBatch(EncoderInput original, EncoderInput masked, int[] positions, int[] originalIds) {
    public MaskedBatch {
        if (positions.length != originalIds.length) {
            throw new IllegalArgumentException(positions.length + " masked positions but " + originalIds.length + " targets");
        }
        int n = original.batch() * original.length();
        for (int i = 0; i < positions.length; i++) {
            if (positions[i] < 0 || positions[i] >= n || (i > 0 && positions[i] <= positions[i - 1])) {
                throw new IllegalArgumentException("masked positions must be ascending flat indices in [0, " + n + "), got "
                        + Arrays.toString(positions));
            }
        }
    }

    /** Builds the batch from given flat positions ({@code b * T + t}), replacing each by {@code maskId}. */
    public static MaskedBatch of(EncoderInput original, int[] flatPositions, int maskId) {
        int[] positions = flatPositions.clone();
        Arrays.sort(positions);
        int[] ids = original.inputIds().clone();
        int[] targets = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            targets[i] = ids[positions[i]];
            ids[positions[i]] = maskId;
        }
        EncoderInput masked = new EncoderInput(original.batch(), original.length(), ids, original.attentionMask(),
                original.tokenTypeIds());
        return new MaskedBatch(original, masked, positions, targets);
    }

    /** HF's mlm labels [B * T]: the original id at chosen positions, -100 elsewhere. */
    public int[] mlmLabels() {
        int[] labels = new int[original.batch() * original.length()];
        Arrays.fill(labels, -100);
        for (int i = 0; i < positions.length; i++) labels[positions[i]] = originalIds[i];
        return labels;
    }

    public int count() {
        return positions.length;
    }
}
