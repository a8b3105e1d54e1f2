package io.elektron.core.nn;

import io.elektron.core.Tensor;
import io.elektron.core.ops.LayerNormalization;

/** LayerNorm over the last dimension with learned scale ("weight") and shift ("bias"). */
public final class LayerNorm extends Module {
    private final Tensor weight; // [dim]
    private final Tensor bias; // [dim]
    private final float eps;

    public LayerNorm(int dim, float eps) {
        this.eps = eps;
        this.weight = registerParameter("weight", Parameters.filled(1f, dim));
        this.bias = registerParameter("bias", Parameters.zeros(dim));
    }

    public Tensor forward(Tensor x) {
        return LayerNormalization.layerNorm(x, weight, bias, eps);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }
}
