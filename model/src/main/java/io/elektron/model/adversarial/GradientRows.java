package io.elektron.model.adversarial;

import io.elektron.core.Tensor;

/**
 * A copy of the rows of a 2-D parameter's gradient that hold something (the rows a lookup touched, or all of them
 * when some dense op wrote), to be added back later.
 *
 * <p>Why: under gradient accumulation the word-embedding matrix's gradient already holds the earlier micro-batches'
 * gradients when a micro-batch's clean backward runs. An attack that read it would take its direction (and, through
 * the norm, its strength) from all of them: the effective eps then depends on the accumulation setting. The
 * matrix-form methods therefore {@link #setAside} that gradient before the clean backward, attack with what the
 * backward left (this micro-batch's gradient alone, exactly as if it ran alone), and {@link #addBack} the earlier
 * part before the adversarial backward, so the accumulated gradient is still the sum over micro-batches.
 */
final class GradientRows {
    private final Tensor weight;
    private final int[] rows;
    private final int cols;
    private final Tensor saved; // [rows.length, cols]; null when there is nothing to keep
    private boolean addedBack;

    private GradientRows(Tensor weight, int[] rows) {
        this.weight = weight;
        this.rows = rows;
        this.cols = weight.size(1);
        if (rows.length == 0) {
            this.saved = null;
            return;
        }
        Tensor g = weight.grad();
        this.saved = Tensor.zeros(weight.backend(), rows.length, cols); // owned by the micro-step's scope
        for (int i = 0; i < rows.length; i++) {
            g.backend().copy(g.storage(), (long) rows[i] * cols, saved.storage(), (long) i * cols, cols);
        }
    }

    /** A copy of the weight's gradient rows; the gradient itself is left as it is. */
    static GradientRows copyOf(Tensor weight) {
        return new GradientRows(weight, EmbeddingGradient.rows(weight));
    }

    /** A copy of the weight's gradient rows, and the gradient zeroed: the next backward writes into empty rows. */
    static GradientRows setAside(Tensor weight) {
        GradientRows kept = copyOf(weight);
        if (kept.rows.length > 0) weight.zeroGrad();
        return kept;
    }

    /**
     * grad[rows] += the kept rows, recording them as touched; once only (later calls do nothing), so it can sit in a
     * finally block and on an early return alike.
     */
    void addBack() {
        if (addedBack) return;
        addedBack = true;
        if (saved == null) return;
        Tensor g = weight.gradForRowAccumulation(rows, -1);
        for (int i = 0; i < rows.length; i++) {
            g.backend().axpy(cols, 1f, saved.storage(), (long) i * cols, g.storage(), (long) rows[i] * cols);
        }
    }
}
