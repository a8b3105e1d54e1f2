package io.elektron.core.nn;

import io.elektron.core.Tensor;
import io.elektron.core.ops.MatMul;

import java.util.SplittableRandom;

/** y = x W^T + b with W [out, in] (PyTorch layout, so checkpoints load as they are). */
public final class Linear extends Module {
    private Tensor weight; // [out, in]
    private final Tensor bias; // [out] or null
    private final int inFeatures;
    private final int outFeatures;

    public Linear(int inFeatures, int outFeatures, boolean bias, SplittableRandom init, float std) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Parameters.normal(init, std, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Parameters.zeros(outFeatures)) : null;
    }

    /** x [..., in] -> [..., out] */
    public Tensor forward(Tensor x) {
        return MatMul.linear(x, weight, bias);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public void replaceParameter(String name, Tensor parameter) {
        super.replaceParameter(name, parameter);
        if (name.equals("weight")) weight = parameter;
        else throw new IllegalArgumentException("only Linear.weight can be tied");
    }
}
