package io.elektron.core.ops;

import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/**
 * Inverted dropout: zero each element with probability p and scale the rest by 1/(1-p), so evaluation needs no
 * rescaling. The mask is a pure function of (seed, element index), so a seed reproduces a run exactly.
 */
public final class DropoutOp {
    private DropoutOp() {
    }

    public static Tensor dropout(Tensor x, float p, long seed) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout: probability must be in [0, 1), got " + p);
        if (p == 0f) return x;
        Tensor mask = Tensor.empty(x.backend(), x.shape());
        Tensor out = Tensor.empty(x.backend(), x.shape());
        x.backend().dropoutForward(x.numel(), x.storage(), p, seed, mask.storage(), out.storage());
        return Autograd.record(out, "dropout", new Tensor[]{x}, gy ->
                x.backend().multiply(x.numel(), gy.storage(), mask.storage(), x.gradForAccumulation().storage(), true));
    }
}
