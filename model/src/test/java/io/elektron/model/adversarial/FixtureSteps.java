package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;
import io.elektron.model.Golden;
import io.elektron.model.hf.HfModels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tiny fixture classifier (eval mode: no dropout, so passes are deterministic) running adversarial micro-steps on
 * parts of the fixture batch, recording the word-embedding matrix every forward pass saw. The perturbation a pass ran
 * with is then what it saw minus the matrix as loaded. Call {@link #step} inside a TensorScope.
 */
final class FixtureSteps {
    static final int LABELS = 5;

    final ElectraForSequenceClassification model;
    final Tensor weight;
    final float[] original;
    final List<float[]> matrixSeen = new ArrayList<>();
    private final Golden golden = Golden.fixture("tiny");

    FixtureSteps() throws Exception {
        model = HfModels.sequenceClassifier(golden.folder(), null, 0).model();
        model.eval();
        weight = model.electra().embeddings().wordEmbeddings().weight();
        original = weight.toFloatArray();
    }

    /** The fixture batch's examples {@code examples} (rows of the [B, T] batch), padding kept. */
    EncoderInput input(int... examples) {
        EncoderInput all = golden.input();
        int t = all.length();
        int[] ids = new int[examples.length * t];
        int[] mask = new int[ids.length];
        int[] types = new int[ids.length];
        for (int i = 0; i < examples.length; i++) {
            System.arraycopy(all.inputIds(), examples[i] * t, ids, i * t, t);
            System.arraycopy(all.attentionMask(), examples[i] * t, mask, i * t, t);
            System.arraycopy(all.tokenTypeIds(), examples[i] * t, types, i * t, t);
        }
        return new EncoderInput(examples.length, t, ids, mask, types);
    }

    /** One micro-step of {@code method} on the given examples, the model running packed as the trainer runs it. */
    StepStats step(AdversarialTraining method, float lossScale, long noiseSeed, int... examples) {
        EncoderInput in = input(examples);
        float[] all = golden.floats("labels");
        float[] labels = new float[examples.length * LABELS];
        for (int i = 0; i < examples.length; i++) System.arraycopy(all, examples[i] * LABELS, labels, i * LABELS, LABELS);
        Tensor targets = Tensor.of(labels, examples.length, LABELS);
        LossFunction loss = () -> {
            matrixSeen.add(weight.toFloatArray());
            return ElectraForSequenceClassification.loss(model.forwardPacked(in).logits(), targets, null);
        };
        return method.step(new StepContext(model, model.electra().embeddings(), in, loss, lossScale, noiseSeed));
    }

    /** The perturbation of the word-embedding matrix during forward pass {@code pass} (0-based, over all steps). */
    float[] perturbation(int pass) {
        float[] seen = matrixSeen.get(pass);
        float[] delta = new float[seen.length];
        for (int i = 0; i < seen.length; i++) delta[i] = seen[i] - original[i];
        return delta;
    }

    /** Rows of [V, E] where {@code matrix} is non-zero. */
    int[] nonZeroRows(float[] matrix) {
        int cols = weight.size(1);
        TreeSet<Integer> rows = new TreeSet<>();
        for (int i = 0; i < matrix.length; i++) if (matrix[i] != 0) rows.add(i / cols);
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The distinct token ids of the real (unmasked) tokens of the given examples: the rows a batch looks up. */
    int[] idsLookedUp(int... examples) {
        EncoderInput in = input(examples);
        TreeSet<Integer> ids = new TreeSet<>();
        for (int i = 0; i < in.inputIds().length; i++) if (in.attentionMask()[i] != 0) ids.add(in.inputIds()[i]);
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every parameter's gradient (zeros where it has none). */
    Map<String, float[]> gradients() {
        Map<String, float[]> out = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) ->
                out.put(name, p.grad() == null ? new float[(int) p.numel()] : p.grad().toFloatArray()));
        return out;
    }

    static double norm(float[] v) {
        double sq = 0;
        for (float x : v) sq += (double) x * x;
        return Math.sqrt(sq);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) dot += (double) a[i] * b[i];
        return dot / (norm(a) * norm(b));
    }
}
