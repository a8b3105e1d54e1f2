package io.elektron.model.adversarial;

/**
 * Fast Gradient Method, matrix form (the common PyTorch recipe, Goodfellow et al. 2015 / Miyato et al. 2017 adapted):
 * after the clean backward, r = eps * g / ||g||_F with g the micro-batch's gradient of the word-embedding MATRIX over
 * the rows it looked up; add r to the matrix, forward and backward again (gradients accumulate onto the clean ones),
 * restore the exact original rows ({@link MatrixFormStep}).
 */
public record Fgm(float eps) implements AdversarialTraining {
    public Fgm {
        if (!(eps > 0)) throw new IllegalArgumentException("fgm: eps must be > 0, got " + eps);
    }

    @Override
    public StepStats step(StepContext ctx) {
        return MatrixFormStep.run(ctx, (weight, rows, gradientNorm) ->
                EmbeddingGradient.addScaledGradient(weight, rows, (float) (eps / gradientNorm)));
    }

    @Override
    public String name() {
        return "fgm";
    }
}
