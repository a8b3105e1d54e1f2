package io.elektron.core.ops;

import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/** Pointwise nonlinearities: GELU (exact erf form, as BERT/ELECTRA) and tanh. */
public final class Activations {
    private Activations() {
    }

    /** gelu(x) = x * Phi(x); backward uses Phi(x) + x * phi(x). */
    public static Tensor gelu(Tensor x) {
        Tensor out = Tensor.empty(x.backend(), x.shape());
        x.backend().geluForward(x.numel(), x.storage(), out.storage());
        return Autograd.record(out, "gelu", new Tensor[]{x}, gy ->
                x.backend().geluBackward(x.numel(), x.storage(), gy.storage(), x.gradForAccumulation().storage()));
    }

    /**
     * gelu written over x itself, for inference (grad mode off) on a temporary nobody reads again (the feed-forward
     * pre-activation: one [B, T, intermediate] buffer per layer saved). With grad mode on it throws.
     */
    public static Tensor geluInPlace(Tensor x) {
        InPlace.requireGradModeOff("geluInPlace");
        x.backend().geluForward(x.numel(), x.storage(), x.storage());
        return x;
    }

    /** tanh; the backward reads the output (1 - y^2), so the input need not be kept. */
    public static Tensor tanh(Tensor x) {
        Tensor out = Tensor.empty(x.backend(), x.shape());
        x.backend().tanhForward(x.numel(), x.storage(), out.storage());
        return Autograd.record(out, "tanh", new Tensor[]{x}, gy ->
                x.backend().tanhBackward(x.numel(), out.storage(), gy.storage(), x.gradForAccumulation().storage()));
    }
}
