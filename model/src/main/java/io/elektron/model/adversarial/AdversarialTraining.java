package io.elektron.model.adversarial;

import io.elektron.model.ElectraEmbeddings;

import java.util.List;

/**
 * One micro-step of training: every forward and backward pass the method needs, with gradients accumulated into the
 * parameters. The caller then clips, steps the optimizer and zeroes gradients.
 *
 * <p>All methods perturb continuous embeddings, never token ids. The perturbed tensor is chosen by identity — the
 * word-embedding matrix of {@link ElectraEmbeddings}, or its output — never by matching "embeddings" in parameter
 * names (which would also hit embeddings_project, the position and token-type tables and the LayerNorm).
 *
 * <p>{@link RandomDirection} ("random") is not an attack but FGM's control: the same rows, norm and cost, a random
 * direction.
 */
public sealed interface AdversarialTraining permits NoAdversary, Fgm, FgmMiyato, Pgd, FreeLb, RandomDirection {

    /**
     * @param ctx the micro-batch, its loss function and the tensors to perturb
     */
    StepStats step(StepContext ctx);

    /** The method names {@link #parse} accepts, in the order the help lists them. */
    List<String> NAMES = List.of("none", "fgm", "fgm-miyato", "pgd", "freelb", "random");

    /** Parses a CLI name (one of {@link #NAMES}) with eps (and alpha, steps for the iterative ones). */
    static AdversarialTraining parse(String name, float eps, float alpha, int steps) {
        return parse(name, eps, alpha, steps, 0f);
    }

    /** The same, with FreeLB's random-start magnitude (its authors' adv-init-mag; 0 = start at the clean embeddings). */
    static AdversarialTraining parse(String name, float eps, float alpha, int steps, float freeLbInit) {
        return switch (name) {
            case "none" -> new NoAdversary();
            case "fgm" -> new Fgm(eps);
            case "fgm-miyato" -> new FgmMiyato(eps);
            case "pgd" -> new Pgd(eps, alpha, steps);
            case "freelb" -> new FreeLb(eps, alpha, steps, freeLbInit);
            case "random" -> new RandomDirection(eps);
            default -> throw new IllegalArgumentException("unknown adversarial method '" + name
                    + "' (expected one of " + String.join(", ", NAMES) + ")");
        };
    }

    /**
     * The eps a method gets when none is given. Each is a length in the space that method perturbs: 1 for the matrix
     * form (FGM, PGD and the random control, over the rows a batch looked up; pretrained rows have norm ~1), a
     * per-example length for fgm-miyato ({@link FgmMiyato#DEFAULT_EPS} says why it is not the paper's 5), and 0
     * (no projection) for FreeLB, the default of its authors' code.
     */
    static float defaultEps(String name) {
        return switch (name) {
            case "fgm-miyato" -> FgmMiyato.DEFAULT_EPS;
            case "freelb" -> 0f;
            default -> 1f;
        };
    }

    /** The CLI name of this method. */
    String name();

    /**
     * The method and its settings for people and files: {@code fgm (eps 1.0)}, {@code pgd (eps 1.0, alpha 0.3,
     * steps 3)}, {@code none}. (A record's toString, {@code Fgm[eps=1.0]}, is Java's, not the product's.)
     */
    default String describe() {
        StringBuilder sb = new StringBuilder(name());
        var components = getClass().getRecordComponents();
        if (components == null || components.length == 0) return sb.toString();
        sb.append(" (");
        for (int i = 0; i < components.length; i++) {
            try {
                sb.append(i == 0 ? "" : ", ").append(components[i].getName()).append(' ')
                        .append(components[i].getAccessor().invoke(this));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("reading " + components[i].getName() + " of " + name(), e);
            }
        }
        return sb.append(')').toString();
    }
}
