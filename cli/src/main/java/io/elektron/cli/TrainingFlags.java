package io.elektron.cli;

import io.elektron.model.adversarial.AdversarialTraining;
import io.elektron.model.train.TrainingOptions;
import picocli.CommandLine.Option;

/** The training engine's options as flags (defaults: the ELECTRA fine-tuning recipe). */
final class TrainingFlags {
    @Option(names = "--adv", defaultValue = "none", description =
            "Adversarial training: none, fgm, fgm-miyato, pgd, freelb, or random (FGM's control: the same rows and "
            + "norm, a random direction). Default: ${DEFAULT-VALUE}.")
    String adv;

    @Option(names = "--adv-eps", description =
            "Perturbation size. Default: 1.0 for fgm, pgd and random (over the embedding rows a batch looks up); "
            + "0.3 per example for fgm-miyato (Miyato et al.'s 5 is on normalised embeddings, ~6%% of an example's "
            + "length; raw embeddings of a GoEmotions example have median length ~4.8, so 5 would replace the input); "
            + "0 = unbounded for freelb.")
    Float advEps;

    @Option(names = "--adv-alpha", defaultValue = "0.3", description = "Ascent step for pgd/freelb. Default: ${DEFAULT-VALUE}.")
    float advAlpha;

    @Option(names = "--adv-steps", defaultValue = "3", description = "Ascent steps K for pgd/freelb. Default: ${DEFAULT-VALUE}.")
    int advSteps;

    @Option(names = "--adv-init", defaultValue = "0", description = "FreeLB's random start, on the scale of its authors'"
            + " adv-init-mag (uniform noise times this / sqrt(tokens x embedding size) per example; their scripts use"
            + " 0.02 to 0.3); 0 starts from the clean embeddings. Default: ${DEFAULT-VALUE}.")
    float advInit;

    @Option(names = "--epochs", defaultValue = "3", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--lr", defaultValue = "1e-4", description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
    float lr;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Default: ${DEFAULT-VALUE} (biases and LayerNorm excluded).")
    float weightDecay;

    @Option(names = "--warmup", defaultValue = "0.1", description = "Warmup fraction of all steps. Default: ${DEFAULT-VALUE}.")
    float warmup;

    @Option(names = "--max-grad-norm", defaultValue = "1.0", description = "Global gradient-norm clip. Default: ${DEFAULT-VALUE}.")
    float maxGradNorm;

    @Option(names = "--accumulation", defaultValue = "1", description = "Gradient accumulation steps. Default: ${DEFAULT-VALUE}.")
    int accumulation;

    @Option(names = "--layer-decay", defaultValue = "0", description = "Layer-wise lr decay (ELECTRA uses 0.8; 0 = off). Default: ${DEFAULT-VALUE}.")
    float layerDecay;

    @Option(names = "--max-length", defaultValue = "128", description = "Truncate sequences to this many tokens. Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--pos-weight", defaultValue = "none", description = "BCE positive weights: none or auto (neg/pos per label, capped at 30). Default: ${DEFAULT-VALUE}.")
    String posWeight;

    @Option(names = "--patience", defaultValue = "0", description = "Early stopping patience in epochs (0 = off). Default: ${DEFAULT-VALUE}.")
    int patience;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many optimizer steps (0 = no limit).")
    int maxSteps;

    @Option(names = "--save-steps", defaultValue = "200", description = "Also save the resumable last/ checkpoint every N "
            + "optimizer steps inside an epoch, so that a killed run loses at most N steps (0 = only at epoch ends; "
            + "results do not depend on it). Default: ${DEFAULT-VALUE}.")
    int saveSteps;

    /** The checkpoint interval, checked. */
    int checkpointSteps() {
        if (saveSteps < 0) throw new IllegalArgumentException("--save-steps must be >= 0, got " + saveSteps);
        return saveSteps;
    }

    TrainingOptions toOptions() {
        return toOptions(adv, seed);
    }

    TrainingOptions toOptions(String method, long runSeed) {
        if (batchSize <= 0) throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        if (epochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
        if (accumulation <= 0) throw new IllegalArgumentException("--accumulation must be positive, got " + accumulation);
        float eps = advEps != null ? advEps : AdversarialTraining.defaultEps(method);
        if (advInit < 0 || !Float.isFinite(advInit)) throw new IllegalArgumentException("--adv-init must be >= 0, got " + advInit);
        AdversarialTraining adversarial = AdversarialTraining.parse(method, eps, advAlpha, advSteps, advInit);
        TrainingOptions.PosWeight pw = switch (posWeight) {
            case "none" -> TrainingOptions.PosWeight.NONE;
            case "auto" -> TrainingOptions.PosWeight.AUTO;
            default -> throw new IllegalArgumentException("--pos-weight must be none or auto, got '" + posWeight + "'");
        };
        return new TrainingOptions(epochs, batchSize, 64, lr, weightDecay, 1e-6f, warmup, maxGradNorm, accumulation,
                layerDecay, maxLength, runSeed, pw, adversarial, patience, maxSteps);
    }
}
