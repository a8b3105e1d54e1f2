package io.elektron.model.adversarial;

import io.elektron.model.ElectraEmbeddings;

/**
 * One micro-step of training: every forward and backward pass the method needs, with gradients accumulated into the
 * parameters. The caller then clips, steps the optimizer and zeroes gradients.
 *
 * <p>All methods perturb continuous embeddings, never token ids. The perturbed tensor is chosen by identity — the
 * word-embedding matrix of {@link ElectraEmbeddings}, or its output — never by matching "embeddings" in parameter
 * names (which would also hit embeddings_project, the position and token-type tables and the LayerNorm).
 */
public sealed interface AdversarialTraining permits NoAdversary, Fgm, FgmMiyato, Pgd, FreeLb {

    /**
     * @param ctx the micro-batch, its loss function and the tensors to perturb
     */
    StepStats step(StepContext ctx);

    /** Parses a CLI name: none, fgm, fgm-miyato, pgd, freelb, with eps (and alpha, steps for the iterative ones). */
    static AdversarialTraining parse(String name, float eps, float alpha, int steps) {
        return switch (name) {
            case "none" -> new NoAdversary();
            case "fgm" -> new Fgm(eps);
            case "fgm-miyato" -> new FgmMiyato(eps);
            case "pgd" -> new Pgd(eps, alpha, steps);
            case "freelb" -> new FreeLb(eps, alpha, steps, 0f);
            default -> throw new IllegalArgumentException("unknown adversarial method '" + name
                    + "' (expected none, fgm, fgm-miyato, pgd or freelb)");
        };
    }

    /** The CLI name of this method. */
    String name();
}
