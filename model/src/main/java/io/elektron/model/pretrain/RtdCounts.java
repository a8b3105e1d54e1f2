package io.elektron.model.pretrain;

/**
 * The discriminator's confusion counts over the positions it is scored on (attention_mask == 1, [CLS] and [SEP]
 * included, as its loss and ELECTRA's disc_accuracy). Positive = replaced; a logit above 0 predicts "replaced".
 */
public record RtdCounts(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {
    public static final RtdCounts ZERO = new RtdCounts(0, 0, 0, 0);

    /**
     * @param logits    [B * T]
     * @param labels    [B * T] 1 = replaced
     * @param attention [B * T] only positions with a non-zero value count
     */
    public static RtdCounts of(float[] logits, float[] labels, int[] attention) {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < logits.length; i++) {
            if (attention[i] == 0) continue;
            boolean predicted = logits[i] > 0f;
            boolean replaced = labels[i] > 0.5f;
            if (predicted && replaced) tp++;
            else if (predicted) fp++;
            else if (replaced) fn++;
            else tn++;
        }
        return new RtdCounts(tp, fp, fn, tn);
    }

    public RtdCounts plus(RtdCounts o) {
        return new RtdCounts(truePositives + o.truePositives, falsePositives + o.falsePositives,
                falseNegatives + o.falseNegatives, trueNegatives + o.trueNegatives);
    }

    public long total() {
        return truePositives + falsePositives + falseNegatives + trueNegatives;
    }

    public long replaced() {
        return truePositives + falseNegatives;
    }

    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** Of the positions predicted replaced, the share that were (NaN when none was predicted). */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** Of the replaced positions, the share found (NaN when none was replaced). */
    public double recall() {
        return ratio(truePositives, replaced());
    }

    /** F1 of the replaced class; 0 when nothing is predicted replaced (the "everything is original" baseline). */
    public double f1() {
        long denominator = 2 * truePositives + falsePositives + falseNegatives;
        return denominator == 0 ? Double.NaN : 2.0 * truePositives / denominator;
    }

    /** Accuracy of predicting "original" everywhere. */
    public double allOriginalAccuracy() {
        return ratio(falsePositives + trueNegatives, total());
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
