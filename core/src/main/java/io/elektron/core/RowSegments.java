package io.elektron.core;

/**
 * Consecutive rows of different widths in one storage: segment s holds {@code rows[s]} rows of {@code cols[s]}
 * floats each, starting {@code offsets[s]} floats in. Attention probabilities of a packed batch are one segment per
 * sequence and head ([T_s, T_s] each), so a row softmax runs over every sequence at its own length with no mask.
 */
public record RowSegments(long[] offsets, int[] rows, int[] cols) {
    public RowSegments {
        if (rows.length != offsets.length || cols.length != offsets.length) {
            throw new IllegalArgumentException("row segments: offsets, rows and cols need the same count, got "
                    + offsets.length + ", " + rows.length + ", " + cols.length);
        }
    }

    public int count() {
        return offsets.length;
    }

    /** Floats covered by all segments. */
    public long elements() {
        long e = 0;
        for (int s = 0; s < count(); s++) e += (long) rows[s] * cols[s];
        return e;
    }
}
