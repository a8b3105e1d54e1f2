package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.model.ElectraEmbeddings;
import io.elektron.model.EncoderInput;
import io.elektron.model.PackedInput;

import java.util.SplittableRandom;

/**
 * FreeLB (Zhu et al. 2020) on the embedded sequence: K ascent steps on a perturbation delta of the word-embedding
 * output; each pass's loss is divided by K and back-propagated, so parameter gradients are the AVERAGE over the K
 * perturbed inputs ("free" large-batch training). delta moves by alpha along its per-example normalised gradient and
 * is projected back onto the per-example eps-ball (eps 0 = no projection). With initMag 0 the first pass is the clean
 * pass; otherwise delta starts as FreeLB's authors start it: uniform in [-1, 1] on real tokens, times initMag / sqrt(L E)
 * for an example of L tokens (seeded by the batch, so runs are reproducible).
 */
public record FreeLb(float eps, float alpha, int steps, float initMag) implements AdversarialTraining {
    public FreeLb {
        if (eps < 0 || !(alpha > 0) || steps < 1 || initMag < 0) {
            throw new IllegalArgumentException("freelb: need eps >= 0, alpha > 0, steps >= 1, init >= 0; got eps " + eps
                    + ", alpha " + alpha + ", steps " + steps + ", init " + initMag);
        }
    }

    @Override
    public StepStats step(StepContext ctx) {
        ElectraEmbeddings emb = ctx.embeddings();
        EncoderInput in = ctx.input();
        int dim = emb.wordEmbeddings().dim();
        // The embedded sequence is [B, T, E] or [N, E] depending on how the loss runs the model: delta takes its shape
        // from the first pass and lives on the model's device for the whole step, outside the passes' scopes.
        ExampleRows[] rows = new ExampleRows[1];
        Tensor[] delta = new Tensor[1];
        try (TensorScope step = TensorScope.open()) {
            double firstLoss = Double.NaN;
            double lastLoss = Double.NaN;
            for (int k = 0; k < steps; k++) {
                Tensor[] d = new Tensor[1];
                // A scope per pass: its activations are released when the pass has back-propagated, so K passes never
                // hold K sets of activations at once (the parameters' gradients accumulate outside any scope).
                try (TensorScope pass = TensorScope.open()) {
                    Tensor loss;
                    try {
                        emb.setWordEmbeddingHook(e -> {
                            if (delta[0] == null) {
                                rows[0] = ExampleRows.of(in, e.shape());
                                delta[0] = pass.keep(Tensor.of(e.backend(), initialDelta(in, rows[0], dim), e.shape()));
                            }
                            d[0] = Tensor.empty(e.backend(), e.shape());
                            d[0].copyFrom(delta[0]);
                            return e.add(d[0].requiresGrad(true));
                        });
                        loss = ctx.loss().forward();
                    } finally {
                        emb.setWordEmbeddingHook(null);
                    }
                    lastLoss = loss.item();
                    if (k == 0) firstLoss = lastLoss;
                    loss.mul(ctx.lossScale() / steps).backward();
                    if (k == steps - 1 || d[0] == null || d[0].grad() == null) break;
                    // delta += alpha * g / ||g|| per example, then back onto the eps-ball: on the device, no graph.
                    Tensor ascent = SequencePerturbation.normalized(d[0].grad(), rows[0], alpha);
                    delta[0].backend().axpy(delta[0].numel(), 1f, ascent.storage(), 0, delta[0].storage(), 0);
                    if (eps > 0) SequencePerturbation.projectPerExample(delta[0], rows[0], eps);
                } finally {
                    // d's gradient belongs to no scope (d is a leaf): release it with its pass.
                    if (d[0] != null && d[0].grad() != null) d[0].grad().close();
                }
            }
            double norm = delta[0] == null ? 0 : SequencePerturbation.maxExampleNorm(delta[0], rows[0]);
            return new StepStats(firstLoss, lastLoss, norm);
        }
    }

    /**
     * Zero, or uniform noise scaled to initMag per example. The noise is drawn in the padded [B, T, E] order whatever
     * the layout, so padded and packed runs start from the same delta at every real token.
     */
    float[] initialDelta(EncoderInput in, ExampleRows rows, int dim) {
        float[] delta = new float[rows.rows() * dim];
        if (initMag == 0) return delta;
        SplittableRandom random = new SplittableRandom(java.util.Arrays.hashCode(in.inputIds()));
        float[] padded = new float[in.batch() * in.length() * dim];
        for (int i = 0; i < padded.length; i++) padded[i] = (float) (random.nextDouble() * 2 - 1);
        if (delta.length == padded.length) {
            delta = padded;
        } else {
            int[] paddedRows = PackedInput.of(in).paddedRows();
            for (int row = 0; row < paddedRows.length; row++) {
                System.arraycopy(padded, paddedRows[row] * dim, delta, row * dim, dim);
            }
        }
        // FreeLB's own start (its L2 variant): uniform noise on the real tokens times initMag / sqrt(length x dim) per
        // example, so an --adv-init value means what adv-init-mag means in the authors' scripts (expected norm
        // initMag / sqrt(3), whatever the length).
        int[] realTokens = new int[rows.examples()];
        for (int owner : rows.exampleOfRow()) if (owner >= 0) realTokens[owner]++;
        for (int row = 0; row < rows.rows(); row++) {
            int b = rows.exampleOfRow()[row];
            if (b < 0) {
                java.util.Arrays.fill(delta, row * dim, (row + 1) * dim, 0f); // padding is never perturbed
                continue;
            }
            float scale = (float) (initMag / Math.sqrt((double) realTokens[b] * dim));
            for (int i = row * dim; i < (row + 1) * dim; i++) delta[i] *= scale;
        }
        return delta;
    }

    @Override
    public String name() {
        return "freelb";
    }
}
