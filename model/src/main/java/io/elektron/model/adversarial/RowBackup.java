package io.elektron.model.adversarial;

import io.elektron.core.Tensor;

/**
 * An exact copy of some rows of a 2-D parameter, taken before a perturbation and written back after it. A copy, not a
 * reference (a bug seen in public FGM code made restore a no-op), and only the rows the batch touched, so FGM never
 * copies the whole 30522 x E matrix.
 */
final class RowBackup {
    private final Tensor weight;
    private final int[] rows;
    private final int cols;
    private final Tensor saved; // [rows.length, cols]

    RowBackup(Tensor weight, int[] rows) {
        this.weight = weight;
        this.rows = rows;
        this.cols = weight.size(1);
        this.saved = Tensor.zeros(weight.backend(), Math.max(1, rows.length), cols);
        for (int i = 0; i < rows.length; i++) {
            weight.backend().copy(weight.storage(), (long) rows[i] * cols, saved.storage(), (long) i * cols, cols);
        }
    }

    /** Writes the saved rows back: the weight is bit-identical to when the backup was taken. */
    void restore() {
        for (int i = 0; i < rows.length; i++) {
            weight.backend().copy(saved.storage(), (long) i * cols, weight.storage(), (long) rows[i] * cols, cols);
        }
    }

    /** Frobenius norm of (weight - saved) over the backed-up rows (reads only those rows). */
    double deltaNorm() {
        float[] w = new float[cols];
        float[] b = new float[cols];
        double sq = 0;
        for (int i = 0; i < rows.length; i++) {
            weight.backend().download(weight.storage(), (long) rows[i] * cols, w, 0, cols);
            saved.backend().download(saved.storage(), (long) i * cols, b, 0, cols);
            for (int c = 0; c < cols; c++) {
                double d = (double) w[c] - b[c];
                sq += d * d;
            }
        }
        return Math.sqrt(sq);
    }

    /** Scales (weight - saved) on the backed-up rows by {@code factor} (projection onto an eps-ball). */
    void scaleDelta(double factor) {
        float[] w = new float[cols];
        float[] b = new float[cols];
        for (int i = 0; i < rows.length; i++) {
            weight.backend().download(weight.storage(), (long) rows[i] * cols, w, 0, cols);
            saved.backend().download(saved.storage(), (long) i * cols, b, 0, cols);
            for (int c = 0; c < cols; c++) w[c] = (float) (b[c] + factor * ((double) w[c] - b[c]));
            weight.backend().upload(w, 0, weight.storage(), (long) rows[i] * cols, cols);
        }
    }

    int[] rows() {
        return rows;
    }
}
