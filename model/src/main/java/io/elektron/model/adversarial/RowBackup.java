package io.elektron.model.adversarial;

import io.elektron.core.Tensor;
import io.elektron.core.ops.RowGather;
import io.elektron.core.ops.Reductions;
import io.elektron.core.ops.Arithmetic;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.TensorScope;

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

    /** Frobenius norm of (weight - saved) over the backed-up rows: computed on the device, one number to the host. */
    double deltaNorm() {
        if (rows.length == 0) return 0;
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled()) {
            return Math.sqrt(Reductions.sumOfSquares(Arithmetic.sub(RowGather.gather(weight, rows), saved)));
        }
    }

    /** Scales (weight - saved) on the backed-up rows by {@code factor} (projection onto an eps-ball), on the device. */
    void scaleDelta(double factor) {
        if (rows.length == 0) return;
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled()) {
            Tensor delta = Arithmetic.sub(RowGather.gather(weight, rows), saved);            // [R, E]
            Tensor moved = Arithmetic.add(saved, Arithmetic.scale(delta, (float) factor));  // [R, E]
            for (int i = 0; i < rows.length; i++) {
                weight.backend().copy(moved.storage(), (long) i * cols, weight.storage(), (long) rows[i] * cols, cols);
            }
        }
    }

    int[] rows() {
        return rows;
    }
}
