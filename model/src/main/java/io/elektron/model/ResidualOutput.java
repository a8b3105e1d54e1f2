package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.nn.Dropout;
import io.elektron.core.nn.LayerNorm;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;

import java.util.SplittableRandom;

/**
 * dense -> dropout -> LayerNorm(. + residual): HF's ElectraSelfOutput (after attention) and ElectraOutput (after
 * the feed-forward block) are this same shape with different input sizes.
 */
public final class ResidualOutput extends Module {
    private final Linear dense;
    private final LayerNorm layerNorm;
    private final Dropout dropout;

    public ResidualOutput(int in, ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        dense = registerModule("dense", new Linear(in, c.hiddenSize(), true, init, c.initializerRange()));
        layerNorm = registerModule("LayerNorm", new LayerNorm(c.hiddenSize(), c.layerNormEps()));
        dropout = registerModule("dropout", new Dropout(c.hiddenDropoutProb(), seeds));
    }

    /** x [B, T, in], residual [B, T, H] -> [B, T, H] */
    public Tensor forward(Tensor x, Tensor residual) {
        return emit(layerNorm.forward(dropout.forward(dense.forward(x)).add(residual)));
    }
}
