package io.elektron.model.adversarial;

/**
 * What one training micro-step did, for logs and the "what did the attack do" view.
 *
 * @param cleanLoss        loss of the clean forward
 * @param adversarialLoss  loss of the (last) adversarial forward, NaN without an attack
 * @param perturbationNorm L2 norm of the applied perturbation (Frobenius over the perturbed tensor), 0 without one
 */
public record StepStats(double cleanLoss, double adversarialLoss, double perturbationNorm) {
    /** How much the attack raised the loss (NaN without an attack). */
    public double lossIncrease() {
        return adversarialLoss - cleanLoss;
    }
}
