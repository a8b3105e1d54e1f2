package io.elektron.core.ops;

import io.elektron.core.IndexStorage;
import io.elektron.core.ShapeCheck;
import io.elektron.core.Storage;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/** Loss functions, each reduced to the mean as PyTorch's defaults do. */
public final class Losses {
    private Losses() {
    }

    /**
     * Multi-label BCE-with-logits, mean over all N x L elements (PyTorch's BCEWithLogitsLoss):
     * l = -[pw * y * log sigmoid(x) + (1 - y) * log(1 - sigmoid(x))], computed through softplus for stability.
     *
     * @param logits    [N, L]
     * @param targets   [N, L] floats in [0, 1] (not integer class ids: that is single-label cross-entropy)
     * @param posWeight [L] or null
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets, Tensor posWeight) {
        ShapeCheck.rank("bceWithLogits", "logits", logits, 2);
        ShapeCheck.sameShape("bceWithLogits (logits vs targets)", logits, targets);
        ShapeCheck.sameDevice("bceWithLogits", logits, targets, posWeight);
        int rows = logits.size(0);
        int cols = logits.size(1);
        if (posWeight != null && (posWeight.rank() != 1 || posWeight.size(0) != cols)) {
            throw new IllegalArgumentException("bceWithLogits: pos_weight " + ShapeCheck.str(posWeight.shape())
                    + " should be [" + cols + "]");
        }
        Storage pw = posWeight == null ? null : posWeight.storage();
        long divisor = Math.max(1, (long) rows * cols);
        Tensor out = Tensor.empty(logits.backend());
        logits.backend().bceWithLogitsLoss(rows, cols, logits.storage(), targets.storage(), pw, divisor, out.storage());
        return Autograd.record(out, "bceWithLogits", new Tensor[]{logits}, gy -> logits.backend().bceWithLogitsBackward(
                rows, cols, logits.storage(), targets.storage(), pw, gy.storage(), divisor,
                logits.gradForAccumulation().storage()));
    }

    /**
     * Cross-entropy over classes, mean over rows whose target is not {@code ignoreIndex} (HF uses -100). With no
     * counted row the result is NaN, as in PyTorch.
     *
     * @param logits  [N, C]
     * @param targets N class ids in [0, C) or ignoreIndex
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int ignoreIndex) {
        ShapeCheck.rank("crossEntropy", "logits", logits, 2);
        int rows = logits.size(0);
        int cols = logits.size(1);
        if (targets.length != rows) {
            throw new IllegalArgumentException("crossEntropy: " + rows + " logit rows but " + targets.length + " targets");
        }
        int counted = 0;
        for (int i = 0; i < rows; i++) {
            if (targets[i] == ignoreIndex) continue;
            if (targets[i] < 0 || targets[i] >= cols) {
                throw new IndexOutOfBoundsException("crossEntropy: target " + targets[i] + " at row " + i
                        + " is outside [0, " + cols + ")");
            }
            counted++;
        }
        // Uploaded once for the forward and the backward; a mean over no rows divides by zero into NaN, as PyTorch.
        IndexStorage t = logits.backend().uploadIndices(targets);
        int n = counted;
        Tensor out = Tensor.empty(logits.backend());
        logits.backend().crossEntropyLoss(rows, cols, logits.storage(), t, ignoreIndex, n, out.storage());
        return Autograd.record(out, "crossEntropy", new Tensor[]{logits}, gy -> {
            if (n > 0) {
                logits.backend().crossEntropyBackward(rows, cols, logits.storage(), t, ignoreIndex, gy.storage(), n,
                        logits.gradForAccumulation().storage());
            }
        });
    }
}
