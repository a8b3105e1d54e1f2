package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.ops.Activations;
import io.elektron.core.ops.MatMul;

import java.util.SplittableRandom;

/**
 * One transformer layer (HF ElectraLayer): attention (self + output) then feed-forward (intermediate GELU + output),
 * each closed by a residual LayerNorm. Names: attention.self.*, attention.output.*, intermediate.dense,
 * output.dense, output.LayerNorm.
 */
public final class ElectraLayer extends Module {
    private final Container attention;
    private final Container intermediateGroup;
    private final SelfAttention selfAttention;
    private final ResidualOutput attentionOutput;
    private final Linear intermediate;
    private final ResidualOutput output;

    public ElectraLayer(ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        attention = registerModule("attention", new Container());
        selfAttention = attention.add("self", new SelfAttention(c, init, seeds));
        attentionOutput = attention.add("output", new ResidualOutput(c.hiddenSize(), c, init, seeds));
        intermediateGroup = registerModule("intermediate", new Container());
        intermediate = intermediateGroup.add("dense", new Linear(c.hiddenSize(), c.intermediateSize(), true, init, c.initializerRange()));
        output = registerModule("output", new ResidualOutput(c.intermediateSize(), c, init, seeds));
    }

    /** x [B, T, H], additive mask [B, T] -> [B, T, H] plus this layer's attention probabilities. */
    public SelfAttention.Result forward(Tensor x, Tensor mask) {
        return forward(x, new AttentionLayout.Padded(mask));
    }

    /**
     * x [B, T, H] padded or [N, H] packed -> the same shape, plus this layer's attention probabilities. Only attention
     * looks at the layout; everything after it works on rows.
     */
    public SelfAttention.Result forward(Tensor x, AttentionLayout layout) {
        SelfAttention.Result attn = selfAttention.forward(x, layout);
        Tensor h = attention.output(attentionOutput.forward(attn.context(), x));
        Tensor preActivation = MatMul.linear(h, intermediate.weight(), intermediate.bias()); // [B, T, I] or [N, I]
        // Inference overwrites the pre-activation (nothing reads it again): one [B, T, I] buffer less per layer.
        Tensor ff = intermediateGroup.output(GradMode.isEnabled() ? preActivation.gelu()
                : Activations.geluInPlace(preActivation));
        return new SelfAttention.Result(emit(output.forward(ff, h)), attn.probabilities());
    }

    /** A named grouping with no computation of its own, so parameter names follow HF's module tree. */
    static final class Container extends Module {
        <M extends Module> M add(String name, M module) {
            return registerModule(name, module);
        }

        /** Reports the group's output to hooks (HF's ElectraAttention, ElectraIntermediate, ElectraEncoder). */
        Tensor output(Tensor output) {
            return emit(output);
        }
    }
}
