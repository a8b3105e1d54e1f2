package io.elektron.model.inspect;

import java.util.List;

/**
 * What the encoder did with one text (or text pair): its tokens, per layer the attention maps and their statistics and
 * the size of the hidden states, and for a classifier the label probabilities and token attributions.
 *
 * @param tokens        the WordPiece tokens, [CLS] and [SEP] included
 * @param inputIds      their ids
 * @param tokenTypeIds  0 for the first text, 1 for the second of a pair
 * @param heads         attention heads per layer
 * @param embeddingNorm mean L2 norm over tokens of the encoder's input (embeddings, after embeddings_project)
 * @param layers        one entry per encoder layer
 * @param labels        the classifier's label names (empty for a bare encoder)
 * @param probabilities sigmoid of each label's logit (null for a bare encoder)
 * @param attributions  gradient x input for the most probable labels, most probable first (empty for a bare encoder)
 */
public record Inspection(List<String> tokens, int[] inputIds, int[] tokenTypeIds, int heads, double embeddingNorm,
                         List<Layer> layers, List<String> labels, float[] probabilities,
                         List<TokenAttribution> attributions) {

    /**
     * One encoder layer.
     *
     * @param index        layer number (HF's encoder.layer.N)
     * @param attention    [heads][T][T] softmax probabilities, query row, key column
     * @param entropy      per head: mean entropy of the query rows, nats (ln T = uniform)
     * @param clsAttention what [CLS] (position 0) attends to, averaged over heads: [T]
     * @param hiddenNorm   mean L2 norm over tokens of the layer's output
     * @param tokenNorms   the L2 norm of each token's output vector: [T]
     */
    public record Layer(int index, float[][][] attention, double[] entropy, float[] clsAttention, double hiddenNorm,
                        float[] tokenNorms) {
    }

    public int length() {
        return tokens.size();
    }

    public boolean isClassifier() {
        return probabilities != null;
    }

    /** Label indices sorted by probability, highest first (empty for a bare encoder). */
    public int[] labelsByProbability() {
        if (probabilities == null) return new int[0];
        return AttentionStatistics.topIndices(probabilities, probabilities.length);
    }
}
