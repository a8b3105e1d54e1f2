package io.elektron.model.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a classifier says about one text: every label with its probability, most probable first, and the labels whose
 * probability reaches their decision threshold (in the same order).
 *
 * @param ranked every label of the model, most probable first (labels of equal probability in the model's order)
 * @param chosen the labels at or above their threshold, most probable first; empty when none is
 */
public record Prediction(List<LabelProbability> ranked, List<String> chosen) {
    /** A label and its sigmoid probability. */
    public record LabelProbability(String label, float probability) {
    }

    public Prediction {
        ranked = List.copyOf(ranked);
        chosen = List.copyOf(chosen);
    }

    /**
     * @param labelNames    {@code [L]} the model's labels, in its order
     * @param probabilities {@code [L]} one text's probabilities, in the same order
     * @param thresholds    {@code [L]} a label is chosen when its probability is at least its threshold
     */
    public static Prediction of(List<String> labelNames, float[] probabilities, float[] thresholds) {
        int labels = labelNames.size();
        if (probabilities.length != labels || thresholds.length != labels) {
            throw new IllegalArgumentException(labels + " labels but " + probabilities.length + " probabilities and "
                    + thresholds.length + " thresholds");
        }
        List<Integer> order = new ArrayList<>(labels);
        for (int j = 0; j < labels; j++) order.add(j);
        order.sort(Comparator.comparingDouble((Integer j) -> probabilities[j]).reversed()); // stable: ties keep model order
        List<LabelProbability> ranked = new ArrayList<>(labels);
        List<String> chosen = new ArrayList<>();
        for (int j : order) {
            ranked.add(new LabelProbability(labelNames.get(j), probabilities[j]));
            if (probabilities[j] >= thresholds[j]) chosen.add(labelNames.get(j));
        }
        return new Prediction(ranked, chosen);
    }

    /** The probability of {@code label}. */
    public float probability(String label) {
        for (LabelProbability p : ranked) if (p.label().equals(label)) return p.probability();
        throw new IllegalArgumentException("no label '" + label + "' (the model's labels: "
                + ranked.stream().map(LabelProbability::label).sorted().toList() + ")");
    }
}
