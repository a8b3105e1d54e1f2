package io.elektron.model.train;

import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.model.ElectraForSequenceClassification;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Batched inference: eval mode, no graph, batches sorted by length, packed execution (real tokens only), results
 * returned in the input order.
 */
public final class Predictor {
    private Predictor() {
    }

    /** Logits [N][labels] in input order. */
    public static float[][] logits(ElectraForSequenceClassification model, List<TokenizedExample> examples, int batchSize,
                                   int padId) {
        return logits(model, examples, batchSize, padId, done -> { });
    }

    /** The same, telling {@code examplesDone} how many examples each finished batch held (for a progress bar). */
    public static float[][] logits(ElectraForSequenceClassification model, List<TokenizedExample> examples, int batchSize,
                                   int padId, IntConsumer examplesDone) {
        int labels = model.config().numLabels();
        float[][] out = new float[examples.size()][];
        boolean wasTraining = model.isTraining();
        model.eval();
        try (GradMode off = GradMode.disabled()) {
            for (Batches.Batch batch : Batches.byLength(examples, batchSize, padId)) {
                try (TensorScope scope = TensorScope.open()) {
                    float[] flat = model.forwardPacked(batch.input()).logits().toFloatArray();
                    for (int i = 0; i < batch.examples().size(); i++) {
                        float[] row = new float[labels];
                        System.arraycopy(flat, i * labels, row, 0, labels);
                        out[positionOf(examples, batch.examples().get(i))] = row;
                    }
                }
                examplesDone.accept(batch.examples().size());
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    private static int positionOf(List<TokenizedExample> examples, TokenizedExample e) {
        // Examples carry their index; fall back to a search when the list is a re-indexed subset.
        int i = e.index();
        if (i >= 0 && i < examples.size() && examples.get(i) == e) return i;
        for (int j = 0; j < examples.size(); j++) if (examples.get(j) == e) return j;
        throw new IllegalStateException("example not found in its own list");
    }

    public static float[][] probabilities(ElectraForSequenceClassification model, List<TokenizedExample> examples,
                                          int batchSize, int padId) {
        return probabilities(model, examples, batchSize, padId, done -> { });
    }

    /**
     * Each text's labels ranked by probability and those its thresholds choose, in input order. The thresholds of a
     * fine-tuned checkpoint are in its thresholds.json: {@code Thresholds.read(folder, labels).globalForEveryLabel()}
     * (what {@code elektron predict} applies) or {@code .perLabel()}.
     *
     * @param thresholds {@code [L]} one decision threshold per label of the model
     */
    public static List<Prediction> predict(ElectraForSequenceClassification model, List<TokenizedExample> examples,
                                           int batchSize, int padId, float[] thresholds) {
        List<String> labels = model.config().labelNames();
        if (thresholds.length != labels.size()) {
            throw new IllegalArgumentException(thresholds.length + " thresholds for a model with " + labels.size() + " labels");
        }
        List<Prediction> out = new ArrayList<>(examples.size());
        for (float[] row : probabilities(model, examples, batchSize, padId)) out.add(Prediction.of(labels, row, thresholds));
        return out;
    }

    /** Sigmoid of {@link #logits}, with the same progress callback. */
    public static float[][] probabilities(ElectraForSequenceClassification model, List<TokenizedExample> examples,
                                          int batchSize, int padId, IntConsumer examplesDone) {
        float[][] logits = logits(model, examples, batchSize, padId, examplesDone);
        for (float[] row : logits) {
            for (int j = 0; j < row.length; j++) row[j] = (float) (1.0 / (1.0 + Math.exp(-row[j])));
        }
        return logits;
    }
}
