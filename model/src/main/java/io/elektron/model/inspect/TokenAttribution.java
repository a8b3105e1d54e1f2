package io.elektron.model.inspect;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.ops.ShapeOps;
import io.elektron.model.ElectraEmbeddings;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.EncoderInput;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient x input attribution of one label's logit to each token: score_t = sum_d x[t, d] * dlogit/dx[t, d], where x is
 * the word-embedding output [T, E] — the very tensor the Miyato form of FGM and FreeLB perturb, reached through the
 * same hook ({@link ElectraEmbeddings#setWordEmbeddingHook}). Positive: the token pushes the label up.
 *
 * @param label       the label's name
 * @param labelIndex  its column in the logits
 * @param probability sigmoid(logit) of the label
 * @param scores      one score per token position
 */
public record TokenAttribution(String label, int labelIndex, float probability, float[] scores) {

    /** The largest |score| (0 when every score is 0): the colour scale of a rendering. */
    public float maxAbs() {
        float m = 0;
        for (float s : scores) m = Math.max(m, Math.abs(s));
        return m;
    }

    /**
     * Attributions of the given labels for one example (batch of 1), in eval mode. Parameters are frozen for the
     * duration (their requiresGrad flags are restored after), so their gradients are neither computed nor touched:
     * this is safe to call between training steps.
     */
    public static List<TokenAttribution> compute(ElectraForSequenceClassification model, EncoderInput input, int... labels) {
        if (input.batch() != 1) throw new IllegalArgumentException("attribution explains one example, got a batch of " + input.batch());
        List<String> names = model.config().labelNames();
        for (int l : labels) {
            if (l < 0 || l >= names.size()) throw new IndexOutOfBoundsException("label " + l + " outside [0, " + names.size() + ")");
        }
        ElectraEmbeddings embeddings = model.electra().embeddings();
        Map<Tensor, Boolean> frozen = new IdentityHashMap<>();
        boolean wasTraining = model.isTraining();
        List<TokenAttribution> out = new ArrayList<>(labels.length);
        try (GradMode on = GradMode.enabled()) {
            for (Tensor p : model.parameters()) {
                frozen.put(p, p.requiresGrad());
                p.requiresGrad(false);
            }
            model.eval();
            for (int label : labels) {
                try (TensorScope scope = TensorScope.open()) {
                    Tensor[] words = new Tensor[1];
                    // With parameters frozen the looked-up rows carry no graph: a detached leaf starts one there.
                    embeddings.setWordEmbeddingHook(e -> words[0] = e.detach().requiresGrad(true));
                    Tensor logits = model.forward(input).logits(); // [1, L]
                    embeddings.setWordEmbeddingHook(null);
                    float logit = logits.get(0, label);
                    ShapeOps.slice(logits, 1, label, label + 1).sum().backward();
                    out.add(new TokenAttribution(names.get(label), label, (float) (1 / (1 + Math.exp(-logit))),
                            gradientTimesInput(words[0], input.length())));
                    if (words[0].grad() != null) words[0].grad().close(); // a leaf's gradient is not owned by the scope
                }
            }
        } finally {
            embeddings.setWordEmbeddingHook(null);
            for (var e : frozen.entrySet()) e.getKey().requiresGrad(e.getValue());
            model.train(wasTraining);
        }
        return out;
    }

    private static float[] gradientTimesInput(Tensor words, int length) {
        float[] scores = new float[length];
        if (words.grad() == null) return scores;
        float[] x = words.toFloatArray();
        float[] g = words.grad().toFloatArray();
        int dim = x.length / length;
        for (int t = 0; t < length; t++) {
            double s = 0;
            for (int d = t * dim; d < (t + 1) * dim; d++) s += (double) x[d] * g[d];
            scores[t] = (float) s;
        }
        return scores;
    }
}
