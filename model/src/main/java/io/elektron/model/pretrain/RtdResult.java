package io.elektron.model.pretrain;

import io.elektron.core.Tensor;
import io.elektron.model.EncoderInput;

/**
 * One replaced-token-detection forward pass.
 *
 * @param total              mlmLoss + discWeight * discLoss (scalar, with graph)
 * @param mlmLoss            generator cross-entropy, mean over the masked positions; null when no position was masked
 * @param discLoss           discriminator BCE, mean over attention_mask == 1 positions
 * @param generatorLogits    [M, V] at the masked positions (M = masked count); null when none
 * @param sampledIds         the generator's sample at each masked position
 * @param discriminatorInput the original ids with the samples put in
 * @param rtdLabels          [B * T] 1 where the discriminator input differs from the original (a sample equal to the
 *                           original token is 0)
 * @param discLogits         [B, T]
 * @param counts             the discriminator's confusion counts
 */
public record RtdResult(Tensor total, Tensor mlmLoss, Tensor discLoss, Tensor generatorLogits, int[] sampledIds,
                        EncoderInput discriminatorInput, float[] rtdLabels, Tensor discLogits, RtdCounts counts) {

    /** Masked positions whose sample differs from the original token. */
    public int replacedCount() {
        int n = 0;
        for (float l : rtdLabels) n += l > 0.5f ? 1 : 0;
        return n;
    }

    public double mlmLossValue() {
        return mlmLoss == null ? Double.NaN : mlmLoss.item();
    }
}
