package io.elektron.model.train;

/**
 * One example ready for batching: ids with [CLS]/[SEP], segment ids, float targets (null when unlabeled), and its
 * position in the source file (so predictions sorted by length can be put back in order).
 */
public record TokenizedExample(int index, int[] inputIds, int[] tokenTypeIds, float[] targets) {
    public int length() {
        return inputIds.length;
    }
}
