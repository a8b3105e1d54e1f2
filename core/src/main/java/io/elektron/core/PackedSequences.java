package io.elektron.core;

import java.util.Arrays;

/**
 * Where each sequence of a packed batch lies: sequence s holds rows [start(s), start(s) + length(s)) of a [N, H]
 * activation matrix whose N rows are the batch's real tokens, one sequence after another, with no padding between.
 *
 * @param starts B + 1 row offsets: starts[0] = 0, starts[B] = N, nondecreasing; sequence s has length
 *               starts[s + 1] - starts[s] (at least 1)
 */
public record PackedSequences(int[] starts) {
    public PackedSequences {
        if (starts.length < 2 || starts[0] != 0) {
            throw new IllegalArgumentException("packed sequences need row offsets starting at 0 for at least one"
                    + " sequence, got " + Arrays.toString(Arrays.copyOf(starts, Math.min(8, starts.length))));
        }
        for (int s = 0; s + 1 < starts.length; s++) {
            if (starts[s + 1] <= starts[s]) {
                throw new IllegalArgumentException("packed sequence " + s + " is empty or out of order: rows "
                        + starts[s] + ".." + starts[s + 1]);
            }
        }
        starts = starts.clone();
    }

    /** Layout of sequences with these lengths, packed in this order. */
    public static PackedSequences ofLengths(int... lengths) {
        int[] starts = new int[lengths.length + 1];
        for (int s = 0; s < lengths.length; s++) {
            if (lengths[s] <= 0) throw new IllegalArgumentException("sequence " + s + " has length " + lengths[s]);
            starts[s + 1] = Math.addExact(starts[s], lengths[s]);
        }
        return new PackedSequences(starts);
    }

    /** Number of sequences B. */
    public int count() {
        return starts.length - 1;
    }

    /** Total rows N (real tokens). */
    public int tokens() {
        return starts[starts.length - 1];
    }

    public int start(int sequence) {
        return starts[sequence];
    }

    public int length(int sequence) {
        return starts[sequence + 1] - starts[sequence];
    }

    public int maxLength() {
        int max = 0;
        for (int s = 0; s < count(); s++) max = Math.max(max, length(s));
        return max;
    }

    /** Row offsets of the first token of every sequence ([CLS] in BERT-family inputs). */
    public int[] firstRows() {
        return Arrays.copyOf(starts, count());
    }

    @Override
    public int[] starts() {
        return starts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackedSequences p && Arrays.equals(starts, p.starts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        return "PackedSequences[" + count() + " sequences, " + tokens() + " tokens]";
    }
}
