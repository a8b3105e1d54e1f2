package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import io.elektron.model.Golden;
import io.elektron.model.hf.HfModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties every adversarial method must keep: bounded perturbations, exact restore, sane gradient bookkeeping. */
class AdversarialInvariantsTest {
    private record Run(ElectraForSequenceClassification model, EncoderInput in, Tensor targets, List<float[]> embeddingsSeen) {
        LossFunction loss(Tensor weight) {
            return () -> {
                embeddingsSeen.add(weight.toFloatArray());
                return ElectraForSequenceClassification.loss(model.forward(in).logits(), targets, null);
            };
        }

        StepStats step(AdversarialTraining method, float scale) {
            Tensor w = model.electra().embeddings().wordEmbeddings().weight();
            return method.step(new StepContext(model, model.electra().embeddings(), in, loss(w), scale));
        }
    }

    private static Run run() throws Exception {
        Golden g = Golden.fixture("tiny");
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(g.folder(), null, 0).model();
        model.eval();
        EncoderInput in = g.input();
        return new Run(model, in, Tensor.of(g.floats("labels"), in.batch(), 5), new ArrayList<>());
    }

    private static double distance(float[] a, float[] b) {
        double sq = 0;
        for (int i = 0; i < a.length; i++) sq += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        return Math.sqrt(sq);
    }

    @Test
    void pgdStaysInsideTheEpsBallAndRestoresWeights() throws Exception {
        Run r = run();
        Tensor w = r.model().electra().embeddings().wordEmbeddings().weight();
        float[] original = w.toFloatArray();
        try (TensorScope s = TensorScope.open()) {
            StepStats stats = r.step(new Pgd(0.5f, 0.3f, 3), 1f);
            assertEquals(4, r.embeddingsSeen().size(), "clean + 3 ascent passes");
            for (int k = 1; k < 4; k++) {
                double d = distance(original, r.embeddingsSeen().get(k));
                assertTrue(d <= 0.5 + 1e-5, "pass " + k + " moved the matrix by " + d + " > eps");
                assertTrue(d > 0, "pass " + k + " saw a perturbation");
            }
            assertTrue(stats.perturbationNorm() <= 0.5 + 1e-5);
            assertArrayEquals(original, w.toFloatArray(), "restored bit for bit");
            assertTrue(Double.isFinite(stats.adversarialLoss()));
        }
    }

    @Test
    void pgdFinalGradientIsCleanPlusLastAdversarialPass() throws Exception {
        // Reference: the clean gradient alone, then compare pgd(K=1) = clean + one adversarial pass at W + r.
        Run clean = run();
        Run fgmLike = run();
        Run pgd = run();
        try (TensorScope s = TensorScope.open()) {
            clean.step(new NoAdversary(), 1f);
            // With K = 1 and alpha = eps (no projection binding), PGD is FGM with eps = alpha.
            fgmLike.step(new Fgm(0.25f), 1f);
            pgd.step(new Pgd(10f, 0.25f, 1), 1f);
            Map<String, Tensor> a = fgmLike.model().namedParameters();
            Map<String, Tensor> b = pgd.model().namedParameters();
            for (String name : a.keySet()) {
                Golden.assertClose(name, a.get(name).grad().toFloatArray(), b.get(name).grad().toFloatArray(), 1e-7, 1e-5);
            }
            // and the attack really added something on top of the clean gradient
            float[] c = clean.model().namedParameters().get("classifier.out_proj.bias").grad().toFloatArray();
            float[] p = b.get("classifier.out_proj.bias").grad().toFloatArray();
            assertTrue(distance(c, p) > 1e-4);
        }
    }

    @Test
    void freeLbKeepsPerExamplePerturbationInsideEpsAndAveragesGradients() throws Exception {
        Run one = run();
        Run free = run();
        Tensor w = free.model().electra().embeddings().wordEmbeddings().weight();
        float[] original = w.toFloatArray();
        try (TensorScope s = TensorScope.open()) {
            StepStats stats = free.step(new FreeLb(0.3f, 0.2f, 3, 0f), 1f);
            assertTrue(stats.perturbationNorm() <= 0.3 + 1e-5, "delta norm " + stats.perturbationNorm());
            assertArrayEquals(original, w.toFloatArray(), "FreeLB never writes the matrix");
            // K = 1 with no initial perturbation is exactly the clean step.
            one.step(new FreeLb(0.3f, 0.2f, 1, 0f), 1f);
            Run clean = run();
            clean.step(new NoAdversary(), 1f);
            float[] a = one.model().namedParameters().get("classifier.dense.weight").grad().toFloatArray();
            float[] b = clean.model().namedParameters().get("classifier.dense.weight").grad().toFloatArray();
            assertArrayEquals(b, a);
        }
    }

    @Test
    void miyatoPerturbationIsPerExampleEpsAndLeavesPaddingAlone() throws Exception {
        Run r = run();
        try (TensorScope s = TensorScope.open()) {
            StepStats stats = r.step(new FgmMiyato(2f), 1f);
            assertEquals(2.0, stats.perturbationNorm(), 1e-4, "each example's perturbation has norm eps");
            assertTrue(stats.adversarialLoss() > stats.cleanLoss(), "the attack raised the loss");
        }
        EncoderInput twoByTwo = new EncoderInput(2, 2, new int[4], new int[]{1, 0, 1, 1}, new int[4]);
        try (TensorScope s = TensorScope.open()) {
            Tensor g = Tensor.of(new float[]{1, 1, 1, 1, 5, 5, 5, 5}, 2, 2, 2);
            ExampleRows rows = ExampleRows.of(twoByTwo, new int[]{2, 2, 2});
            float[] out = SequencePerturbation.normalized(g, rows, 1f).toFloatArray();
            assertArrayEquals(new float[]{(float) Math.sqrt(0.5), (float) Math.sqrt(0.5), 0, 0, 0.5f, 0.5f, 0.5f, 0.5f}, out, 1e-6f);
            // Projection onto the eps-ball per example: example 1 (norm sqrt(100) = 10) shrinks to 2, example 0
            // (norm sqrt(2), padding excluded) is inside and stays.
            SequencePerturbation.projectPerExample(g, rows, 2f);
            assertArrayEquals(new float[]{1, 1, 1, 1, 1, 1, 1, 1}, g.toFloatArray(), 1e-6f);
            assertEquals(Math.sqrt(4), SequencePerturbation.maxExampleNorm(g, rows), 1e-6);
        }
    }

    @Test
    void adversarialLossIsScaledForAccumulation() throws Exception {
        Run full = run();
        Run half = run();
        try (TensorScope s = TensorScope.open()) {
            full.step(new Fgm(1f), 1f);
            half.step(new Fgm(1f), 0.5f);
            float[] a = full.model().namedParameters().get("classifier.out_proj.weight").grad().toFloatArray();
            float[] b = half.model().namedParameters().get("classifier.out_proj.weight").grad().toFloatArray();
            for (int i = 0; i < a.length; i++) assertEquals(a[i] * 0.5f, b[i], 1e-7 + 1e-6 * Math.abs(a[i]));
        }
    }

    @Test
    void parseRejectsUnknownNamesAndBadParameters() {
        assertEquals("fgm", AdversarialTraining.parse("fgm", 1f, 0.3f, 3).name());
        assertThrows(IllegalArgumentException.class, () -> AdversarialTraining.parse("fgsm-on-ids", 1f, 0.3f, 3));
        assertThrows(IllegalArgumentException.class, () -> new Fgm(0f));
        assertThrows(IllegalArgumentException.class, () -> new Pgd(1f, 0.3f, 0));
    }
}
