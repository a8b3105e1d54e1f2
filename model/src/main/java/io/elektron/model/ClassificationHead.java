package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.nn.Dropout;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;

import java.util.SplittableRandom;

/**
 * HF ElectraClassificationHead: the first token's hidden state -> dropout -> dense -> GELU -> dropout -> out_proj.
 * (No tanh pooler, unlike BERT.)
 */
public final class ClassificationHead extends Module {
    private final Linear dense;
    private final Linear outProj;
    private final Dropout dropout;

    public ClassificationHead(ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        dense = registerModule("dense", new Linear(c.hiddenSize(), c.hiddenSize(), true, init, c.initializerRange()));
        outProj = registerModule("out_proj", new Linear(c.hiddenSize(), c.numLabels(), true, init, c.initializerRange()));
        dropout = registerModule("dropout", new Dropout(c.headDropout(), seeds));
    }

    /**
     * The first token's hidden states [B, H] -> logits [B, labels]; {@link EncoderOutput#firstTokenStates} picks them
     * out of padded or packed encoder output.
     */
    public Tensor forward(Tensor first) {
        Tensor x = dense.forward(dropout.forward(first)).gelu();
        return emit(outProj.forward(dropout.forward(x)));
    }
}
