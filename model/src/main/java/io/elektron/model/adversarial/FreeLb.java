package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.model.ElectraEmbeddings;
import io.elektron.model.EncoderInput;

import java.util.SplittableRandom;

/**
 * FreeLB (Zhu et al. 2020) on the embedded sequence: K ascent steps on a perturbation delta of the word-embedding
 * output; each pass's loss is divided by K and back-propagated, so parameter gradients are the AVERAGE over the K
 * perturbed inputs ("free" large-batch training). delta moves by alpha along its per-example normalised gradient and
 * is projected back onto the per-example eps-ball (eps 0 = no projection). With initMag 0 the first pass is the clean
 * pass; otherwise delta starts uniform in a ball of radius initMag (seeded by the batch, so runs are reproducible).
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
        int n = in.batch() * in.length() * dim;
        float[] delta = initialDelta(in, dim, n);
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        for (int k = 0; k < steps; k++) {
            Tensor d = Tensor.of(delta, in.batch(), in.length(), dim).requiresGrad(true);
            Tensor loss;
            try {
                emb.setWordEmbeddingHook(e -> e.add(d));
                loss = ctx.loss().forward();
            } finally {
                emb.setWordEmbeddingHook(null);
            }
            lastLoss = loss.item();
            if (k == 0) firstLoss = lastLoss;
            loss.mul(ctx.lossScale() / steps).backward();
            if (k == steps - 1 || d.grad() == null) break;
            float[] step = SequencePerturbation.normalized(d.grad().toFloatArray(), in.attentionMask(), in.batch(),
                    in.length(), dim, alpha);
            for (int i = 0; i < n; i++) delta[i] += step[i];
            if (eps > 0) projectPerExample(delta, in, dim);
        }
        return new StepStats(firstLoss, lastLoss, SequencePerturbation.maxExampleNorm(delta, in.batch(), in.length(), dim));
    }

    private float[] initialDelta(EncoderInput in, int dim, int n) {
        float[] delta = new float[n];
        if (initMag == 0) return delta;
        SplittableRandom random = new SplittableRandom(java.util.Arrays.hashCode(in.inputIds()));
        for (int i = 0; i < n; i++) delta[i] = (float) (random.nextDouble() * 2 - 1);
        return SequencePerturbation.normalized(delta, in.attentionMask(), in.batch(), in.length(), dim, initMag);
    }

    private void projectPerExample(float[] delta, EncoderInput in, int dim) {
        int per = in.length() * dim;
        for (int b = 0; b < in.batch(); b++) {
            double sq = 0;
            for (int i = b * per; i < (b + 1) * per; i++) sq += (double) delta[i] * delta[i];
            double norm = Math.sqrt(sq);
            if (norm > eps) {
                float f = (float) (eps / norm);
                for (int i = b * per; i < (b + 1) * per; i++) delta[i] *= f;
            }
        }
    }

    @Override
    public String name() {
        return "freelb";
    }
}
