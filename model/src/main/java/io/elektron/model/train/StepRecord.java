package io.elektron.model.train;

/** Per optimizer step, for loss curves: clean loss, adversarial loss (NaN without attack), perturbation norm. */
public record StepRecord(long step, int epoch, double loss, double adversarialLoss, double perturbationNorm,
                         float learningRate, double gradNorm) {
}
