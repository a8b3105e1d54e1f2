package io.elektron.model.adversarial;

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
 */
public record StepContext(Module model, ElectraEmbeddings embeddings, EncoderInput input, LossFunction loss,
                          float lossScale) {
}
