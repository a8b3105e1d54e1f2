package io.elektron.core.ops;

import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/**
 * Softmax over the last dimension of (scale * x + mask), fused in one pass: attention's 1/sqrt(d) scaling, its
 * additive padding mask and the softmax never write intermediate tensors.
 *
 * <p>Backward: with y = softmax(z), dz = y * (dy - sum(dy * y)); z = scale * x + mask, so dx = scale * dz and the
 * mask (a constant) gets no gradient.
 */
public final class Softmax {
    private Softmax() {
    }

    public static Tensor softmax(Tensor x) {
        return softmax(x, null, 1f);
    }

    /**
     * @param x     [B, ..., Tk]
     * @param mask  additive mask [B, Tk] broadcast over the middle dimensions (HF's [B, 1, 1, Tk]), or null
     * @param scale multiplies x before the mask is added
     */
    public static Tensor softmax(Tensor x, Tensor mask, float scale) {
        return softmax(x, mask, scale, false);
    }

    /**
     * The same, written over x itself: for inference (grad mode off), where x is a temporary nobody reads again; it
     * saves one [B, heads, T, T] buffer per layer. With grad mode on it throws: the graph may still need x.
     */
    public static Tensor softmaxInPlace(Tensor x, Tensor mask, float scale) {
        InPlace.requireGradModeOff("softmaxInPlace");
        return softmax(x, mask, scale, true);
    }

    private static Tensor softmax(Tensor x, Tensor mask, float scale, boolean inPlace) {
        ShapeCheck.minRank("softmax", "input", x, 1);
        ShapeCheck.sameDevice("softmax", x, mask);
        int cols = x.size(-1);
        int rows = (int) (x.numel() / Math.max(1, cols));
        int rowsPerMaskRow = 1;
        if (mask != null) {
            if (x.rank() < 2 || mask.rank() != 2 || mask.size(0) != x.size(0) || mask.size(1) != cols) {
                throw new IllegalArgumentException("softmax: mask " + ShapeCheck.str(mask.shape())
                        + " should be [B, Tk] = [" + x.size(0) + ", " + cols + "] for input " + ShapeCheck.str(x.shape()));
            }
            rowsPerMaskRow = rows / x.size(0);
        }
        // In place is safe in the kernels: each row is read before any of its outputs is written.
        Tensor out = inPlace ? x : Tensor.empty(x.backend(), x.shape());
        x.backend().softmaxForward(rows, cols, x.storage(), scale, mask == null ? null : mask.storage(), rowsPerMaskRow,
                out.storage());
        return Autograd.record(out, "softmax", new Tensor[]{x}, gy ->
                x.backend().softmaxBackward(rows, cols, out.storage(), gy.storage(), scale, x.gradForAccumulation().storage()));
    }
}
