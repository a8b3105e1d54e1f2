package io.elektron.core.ops;

import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/**
 * LayerNorm over the last dimension (biased variance, as PyTorch): y = (x - mean) / sqrt(var + eps) * w + b.
 * Mean and 1/std per row are saved for the backward:
 * dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * w; dw = sum dy * xhat; db = sum dy.
 */
public final class LayerNormalization {
    private LayerNormalization() {
    }

    public static Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        ShapeCheck.sameDevice("layerNorm", x, weight, bias);
        int cols = x.size(-1);
        if (weight.rank() != 1 || weight.size(0) != cols || bias.rank() != 1 || bias.size(0) != cols) {
            throw new IllegalArgumentException("layerNorm: weight " + ShapeCheck.str(weight.shape()) + " and bias "
                    + ShapeCheck.str(bias.shape()) + " should both be [" + cols + "] for input " + ShapeCheck.str(x.shape()));
        }
        int rows = (int) (x.numel() / cols);
        Tensor out = Tensor.empty(x.backend(), x.shape());
        Tensor mean = Tensor.empty(x.backend(), rows);
        Tensor rstd = Tensor.empty(x.backend(), rows);
        x.backend().layerNormForward(rows, cols, x.storage(), weight.storage(), bias.storage(), eps, out.storage(),
                mean.storage(), rstd.storage());
        return Autograd.record(out, "layerNorm", new Tensor[]{x, weight, bias}, gy -> x.backend().layerNormBackward(
                rows, cols, x.storage(), weight.storage(), mean.storage(), rstd.storage(), gy.storage(),
                x.requiresGrad() ? x.gradForAccumulation().storage() : null,
                weight.requiresGrad() ? weight.gradForAccumulation().storage() : null,
                bias.requiresGrad() ? bias.gradForAccumulation().storage() : null));
    }
}
