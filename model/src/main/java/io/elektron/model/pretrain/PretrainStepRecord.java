package io.elektron.model.pretrain;

/**
 * One optimizer step of pre-training (values averaged over its micro-batches; the discriminator metrics pooled over
 * its positions).
 *
 * @param replacedShare share of the masked positions whose sample differed from the original token (falls as the
 *                      generator learns)
 */
public record PretrainStepRecord(long step, float learningRate, double loss, double mlmLoss, double discLoss,
                                 double discAccuracy, double replacedPrecision, double replacedRecall, double replacedF1,
                                 double replacedShare, double gradNorm, double tokensPerSecond) {

    static final String CSV_HEADER = "step,learning_rate,loss,mlm_loss,disc_loss,disc_accuracy,replaced_precision,"
            + "replaced_recall,replaced_f1,replaced_share,grad_norm,tokens_per_second";

    String toCsv() {
        return step + "," + learningRate + "," + loss + "," + mlmLoss + "," + discLoss + "," + discAccuracy + ","
                + replacedPrecision + "," + replacedRecall + "," + replacedF1 + "," + replacedShare + "," + gradNorm + ","
                + tokensPerSecond;
    }

    static PretrainStepRecord fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 12) throw new IllegalArgumentException("expected 12 columns, got " + f.length + ": " + line);
        return new PretrainStepRecord(Long.parseLong(f[0]), Float.parseFloat(f[1]), d(f[2]), d(f[3]), d(f[4]), d(f[5]),
                d(f[6]), d(f[7]), d(f[8]), d(f[9]), d(f[10]), d(f[11]));
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
