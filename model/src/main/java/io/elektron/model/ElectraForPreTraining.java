package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.ops.EmbeddingLookup;
import io.elektron.core.ops.Losses;

import java.util.SplittableRandom;

/**
 * The ELECTRA discriminator (HF ElectraForPreTraining): per token, dense(H -> H) -> hidden_act -> dense_prediction
 * (H -> 1): a logit that the token was replaced.
 */
public final class ElectraForPreTraining extends Module {
    private final ElectraConfig config;
    private final ElectraModel electra;
    private final Linear dense;
    private final Linear densePrediction;

    public ElectraForPreTraining(ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        this.config = c;
        electra = registerModule("electra", new ElectraModel(c, init, seeds));
        ElectraLayer.Container head = registerModule("discriminator_predictions", new ElectraLayer.Container());
        dense = head.add("dense", new Linear(c.hiddenSize(), c.hiddenSize(), true, init, c.initializerRange()));
        densePrediction = head.add("dense_prediction", new Linear(c.hiddenSize(), 1, true, init, c.initializerRange()));
    }

    /** Logits [B, T]. */
    public Tensor forward(EncoderInput in) {
        Tensor h = electra.forward(in).lastHiddenState();
        Tensor logits = densePrediction.forward(dense.forward(h).gelu()); // [B, T, 1]
        return logits.reshape(in.batch(), in.length());
    }

    /**
     * HF's loss: BCE-with-logits averaged over the positions whose attention_mask is 1 ([CLS] and [SEP] included).
     *
     * @param labels [B * T] 1 = replaced, 0 = original
     */
    public static Tensor loss(Tensor logits, EncoderInput in, float[] labels) {
        int n = in.batch() * in.length();
        int active = 0;
        for (int m : in.attentionMask()) active += m != 0 ? 1 : 0;
        int[] positions = new int[active];
        float[] targets = new float[active];
        for (int i = 0, j = 0; i < n; i++) {
            if (in.attentionMask()[i] != 0) {
                positions[j] = i;
                targets[j++] = labels[i];
            }
        }
        // Gathering the active rows is an embedding lookup on the logits: its backward scatters into them.
        Tensor selected = EmbeddingLookup.lookup(logits.reshape(n, 1), positions, new int[]{active}, -1); // [active, 1]
        return Losses.bceWithLogits(selected, Tensor.of(selected.backend(), targets, active, 1), null);
    }

    public ElectraModel electra() {
        return electra;
    }

    public ElectraConfig config() {
        return config;
    }
}
