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

    /** Frobenius norm of (weight - saved) over the backed-up rows. */
    double deltaNorm() {
        float[] w = weight.toFloatArray();
        float[] s = saved.toFloatArray();
        double sq = 0;
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < cols; c++) {
                double d = (double) w[rows[i] * cols + c] - s[i * cols + c];
                sq += d * d;
            }
        }
        return Math.sqrt(sq);
    }

    /** Scales (weight - saved) on the backed-up rows by {@code factor} (projection onto an eps-ball). */
    void scaleDelta(double factor) {
        float[] w = weight.toFloatArray();
        float[] s = saved.toFloatArray();
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < cols; c++) {
                int wi = rows[i] * cols + c;
                w[wi] = (float) (s[i * cols + c] + factor * ((double) w[wi] - s[i * cols + c]));
            }
        }
        weight.copyFrom(w);
    }

    int[] rows() {
        return rows;
    }
}
