package io.elektron.model.pretrain;

import io.elektron.core.Tensor;
import io.elektron.core.ops.Losses;
import io.elektron.model.ElectraForPreTraining;
import io.elektron.model.EncoderInput;

/**
 * ELECTRA's replaced-token-detection loss: the generator fills the masked positions (MLM loss), a sample from its
 * softmax replaces each, and the discriminator labels every token original or replaced (BCE); total = MLM +
 * discWeight * BCE (50 in the paper), one backward for both networks.
 */
public final class RtdObjective {
    private final float discWeight;

    public RtdObjective(float discWeight) {
        if (!(discWeight >= 0f) || !Float.isFinite(discWeight)) throw new IllegalArgumentException("discriminator weight must be >= 0, got " + discWeight);
        this.discWeight = discWeight;
    }

    public float discWeight() {
        return discWeight;
    }

    public RtdResult forward(RtdModel model, MaskedBatch batch, ReplacementSampler sampler) {
        EncoderInput original = batch.original();
        int m = batch.count();
        Tensor genLogits = null;
        Tensor mlmLoss = null;
        int[] sampled = new int[0];
        if (m > 0) {
            genLogits = model.generator().logitsAt(batch.masked(), batch.positions()); // [M, V]
            mlmLoss = Losses.crossEntropy(genLogits, batch.originalIds(), -100);
            int vocab = genLogits.size(1);
            // A generator whose loss is not finite has no distribution to sample from: the discriminator then sees the
            // original tokens, and the total loss is not finite either, for the caller's guard to stop on.
            sampled = Float.isFinite(mlmLoss.item())
                    ? sampler.sample(genLogits.toFloatArray(), m, vocab, batch.originalIds())
                    : batch.originalIds().clone();
        }
        int[] discIds = original.inputIds().clone();
        float[] labels = new float[discIds.length];
        for (int i = 0; i < m; i++) {
            int p = batch.positions()[i];
            discIds[p] = sampled[i];
            labels[p] = sampled[i] != batch.originalIds()[i] ? 1f : 0f;
        }
        EncoderInput discIn = new EncoderInput(original.batch(), original.length(), discIds, original.attentionMask(),
                original.tokenTypeIds());
        Tensor discLogits = model.discriminator().forward(discIn); // [B, T]
        Tensor discLoss = ElectraForPreTraining.loss(discLogits, discIn, labels);
        Tensor weighted = discLoss.mul(discWeight);
        Tensor total = mlmLoss == null ? weighted : mlmLoss.add(weighted);
        RtdCounts counts = RtdCounts.of(discLogits.toFloatArray(), labels, original.attentionMask());
        return new RtdResult(total, mlmLoss, discLoss, genLogits, sampled, discIn, labels, discLogits, counts);
    }
}
