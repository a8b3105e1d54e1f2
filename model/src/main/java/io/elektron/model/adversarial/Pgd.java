package io.elektron.model.adversarial;

import io.elektron.core.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Projected Gradient Descent (Madry et al. 2018) on the word-embedding matrix, as the common PyTorch recipe runs it:
 * K ascent steps of size alpha along the normalised gradient, each projected back onto the Frobenius eps-ball around
 * the original rows. The gradients of the intermediate ascent passes are only used to steer the attack: they are
 * zeroed before each pass, and before the last pass the clean gradients are restored so the last adversarial backward
 * accumulates onto them. Finally the original rows are restored exactly. Under gradient accumulation the ascent uses
 * the micro-batch's own gradient of the matrix, as FGM does ({@link GradientRows}).
 */
public record Pgd(float eps, float alpha, int steps) implements AdversarialTraining {
    public Pgd {
        if (!(eps > 0) || !(alpha > 0) || steps < 1) {
            throw new IllegalArgumentException("pgd: need eps > 0, alpha > 0, steps >= 1; got eps " + eps + ", alpha "
                    + alpha + ", steps " + steps);
        }
    }

    @Override
    public StepStats step(StepContext ctx) {
        Tensor weight = ctx.embeddings().wordEmbeddings().weight();
        // Every ascent direction comes from this micro-batch's gradient alone: earlier micro-batches' gradient of the
        // matrix is set aside until the last pass (GradientRows says why).
        GradientRows earlier = GradientRows.setAside(weight);
        try {
            double cleanLoss = ctx.forwardBackward();

            int[] rows = EmbeddingGradient.rows(weight);
            if (EmbeddingGradient.norm(weight, rows) == 0) return new StepStats(cleanLoss, Double.NaN, 0);

            List<Tensor> params = ctx.model().parameters();
            List<Tensor> cleanGrads = new ArrayList<>(params.size());
            for (Tensor p : params) cleanGrads.add(p == weight || p.grad() == null ? null : copy(p.grad()));
            // The matrix's clean gradient lives in the rows the micro-batch looked up: keep those, not all [V, E].
            GradientRows cleanRows = GradientRows.copyOf(weight);

            RowBackup backup = new RowBackup(weight, rows);
            double advLoss = Double.NaN;
            double applied = 0;
            try {
                for (int k = 0; k < steps; k++) {
                    double norm = EmbeddingGradient.norm(weight, rows);
                    if (norm > 0 && Double.isFinite(norm)) {
                        EmbeddingGradient.addScaledGradient(weight, rows, (float) (alpha / norm));
                        double delta = backup.deltaNorm();
                        if (delta > eps) backup.scaleDelta(eps / delta);
                    }
                    applied = backup.deltaNorm();
                    for (Tensor p : params) p.zeroGrad();
                    if (k == steps - 1) {
                        for (int i = 0; i < params.size(); i++) {
                            if (cleanGrads.get(i) != null) params.get(i).accumulateGrad(cleanGrads.get(i));
                        }
                        cleanRows.addBack();
                        earlier.addBack();
                    }
                    advLoss = ctx.forwardBackward();
                }
            } finally {
                backup.restore();
            }
            return new StepStats(cleanLoss, advLoss, applied);
        } finally {
            earlier.addBack();
        }
    }

    private static Tensor copy(Tensor t) {
        Tensor c = Tensor.zeros(t.backend(), t.shape());
        c.copyFrom(t);
        return c;
    }

    @Override
    public String name() {
        return "pgd";
    }
}
