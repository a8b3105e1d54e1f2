package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.nn.Module;
import io.elektron.model.ElectraEmbeddings;
import io.elektron.model.EncoderInput;

/**
 * Everything an adversarial method needs for one micro-step. Methods run each forward/backward pass in its own
 * {@link io.elektron.core.TensorScope}, so tensors made inside {@code loss} are released when that pass ends (copy what
 * you want to keep); this is what keeps FGM's memory at one graph, not two.
 *
 * @param model      the whole model (gradient bookkeeping of PGD)
 * @param embeddings the embeddings module: the hook point and the perturbed word-embedding matrix, by identity
 * @param input      the micro-batch (its attention mask keeps perturbations off padding)
 * @param loss       a forward pass of the micro-batch returning the loss
 * @param lossScale  1 / gradient-accumulation steps; every backward, clean or adversarial, is scaled by it
 * @param noiseSeed  seeds what a method draws at random (the random control's direction) together with the batch's
 *                   ids; the trainer derives it from the run's seed and the micro-step's place in the run, so a run
 *                   and its resumed continuation draw the same numbers
 */
public record StepContext(Module model, ElectraEmbeddings embeddings, EncoderInput input, LossFunction loss,
                          float lossScale, long noiseSeed) {

    /** A micro-step whose random draws depend on the batch's ids alone. */
    public StepContext(Module model, ElectraEmbeddings embeddings, EncoderInput input, LossFunction loss, float lossScale) {
        this(model, embeddings, input, loss, lossScale, 0L);
    }

    /**
     * One pass with the model as it is now: forward, then backward scaled by {@link #lossScale}, in a scope of its own
     * so the pass's activations are freed before the next pass starts. Returns the loss.
     */
    public double forwardBackward() {
        try (TensorScope pass = TensorScope.open()) {
            Tensor value = loss.forward();
            double result = value.item();
            value.mul(lossScale).backward();
            return result;
        }
    }
}
