package io.elektron.model.train;

/**
 * One optimizer step, for loss curves and the run folder's {@code steps.csv}: values averaged over the step's
 * micro-batches (the adversarial ones over the micro-batches that were attacked; NaN when none was).
 *
 * @param loss                    clean loss
 * @param adversarialLoss         loss of the (last) adversarial pass
 * @param adversarialLossIncrease adversarial minus clean loss: what the attack did (or the random control's noise)
 * @param perturbationNorm        norm of the applied perturbation, 0 without one
 * @param learningRate            the base learning rate times the schedule's multiplier (layer-wise decay scales
 *                                lower layers' groups below it)
 * @param gradNorm                global gradient norm before clipping
 */
public record StepRecord(long step, int epoch, double loss, double adversarialLoss, double adversarialLossIncrease,
                         double perturbationNorm, float learningRate, double gradNorm) {

    static final String CSV_HEADER =
            "step,epoch,loss,adversarial_loss,adversarial_loss_increase,perturbation_norm,learning_rate,grad_norm";

    /** Full precision (Double.toString round-trips), NaN written as NaN, as the pre-training steps.csv does. */
    String toCsv() {
        return step + "," + epoch + "," + loss + "," + adversarialLoss + "," + adversarialLossIncrease + ","
                + perturbationNorm + "," + learningRate + "," + gradNorm;
    }

    static StepRecord fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 8) throw new IllegalArgumentException("expected 8 columns, got " + f.length + ": " + line);
        return new StepRecord(Long.parseLong(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Float.parseFloat(f[6]),
                Double.parseDouble(f[7]));
    }
}
