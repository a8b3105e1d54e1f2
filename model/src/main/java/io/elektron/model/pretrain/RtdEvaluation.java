package io.elektron.model.pretrain;

/**
 * Replaced-token detection scored on held-out sequences (eval mode, fixed masks and samples).
 *
 * @param counts        the discriminator's confusion counts (positive = replaced)
 * @param mlmLoss       generator cross-entropy over the masked positions
 * @param discLoss      discriminator BCE over the attention_mask positions
 * @param replacedShare masked positions whose sample differed from the original
 */
public record RtdEvaluation(RtdCounts counts, double mlmLoss, double discLoss, double replacedShare, long sequences) {
    @Override
    public String toString() {
        return String.format("held-out RTD: accuracy %.4f (all-original %.4f), replaced precision %.4f recall %.4f F1 %.4f"
                        + " | MLM loss %.4f, disc loss %.4f, %.1f%% of masked positions replaced, %d sequences",
                counts.accuracy(), counts.allOriginalAccuracy(), counts.precision(), counts.recall(), counts.f1(), mlmLoss,
                discLoss, 100 * replacedShare, sequences);
    }
}
