package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;

/**
 * Fast Gradient Method, matrix form (the common PyTorch recipe, Goodfellow et al. 2015 / Miyato et al. 2017 adapted):
 * after the clean backward, r = eps * g / ||g||_F with g the gradient of the word-embedding MATRIX; add r to the
 * matrix, forward and backward again (gradients accumulate onto the clean ones), restore the exact original rows.
 * Only rows looked up in the batch have gradient, so only they are backed up and perturbed.
 */
public record Fgm(float eps) implements AdversarialTraining {
    public Fgm {
        if (!(eps > 0)) throw new IllegalArgumentException("fgm: eps must be > 0, got " + eps);
    }

    @Override
    public StepStats step(StepContext ctx) {
        double cleanLoss;
        // Each pass in its own scope: the clean graph's activations are freed before the adversarial forward.
        try (TensorScope pass = TensorScope.open()) {
            Tensor clean = ctx.loss().forward();
            cleanLoss = clean.item();
            clean.mul(ctx.lossScale()).backward();
        }

        Tensor weight = ctx.embeddings().wordEmbeddings().weight();
        int[] rows = EmbeddingGradient.rows(weight);
        double norm = EmbeddingGradient.norm(weight, rows);
        if (norm == 0 || !Double.isFinite(norm)) return new StepStats(cleanLoss, Double.NaN, 0);

        RowBackup backup = new RowBackup(weight, rows);
        double applied;
        double advLoss;
        try (TensorScope pass = TensorScope.open()) {
            EmbeddingGradient.addScaledGradient(weight, rows, (float) (eps / norm));
            applied = backup.deltaNorm();
            Tensor adv = ctx.loss().forward();
            advLoss = adv.item();
            adv.mul(ctx.lossScale()).backward();
        } finally {
            backup.restore();
        }
        return new StepStats(cleanLoss, advLoss, applied);
    }

    @Override
    public String name() {
        return "fgm";
    }
}
