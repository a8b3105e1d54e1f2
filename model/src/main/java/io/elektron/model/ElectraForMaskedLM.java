package io.elektron.model;

import io.elektron.core.Tensor;
import io.elektron.core.nn.LayerNorm;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.ops.EmbeddingLookup;
import io.elektron.core.ops.Losses;
import io.elektron.core.ops.MatMul;

import java.util.SplittableRandom;

/**
 * The ELECTRA generator (HF ElectraForMaskedLM): dense(H -> E) -> GELU (hard-coded, not hidden_act) -> LayerNorm ->
 * generator_lm_head (E -> V), whose weight IS the word-embedding matrix (tied), plus its own bias.
 */
public final class ElectraForMaskedLM extends Module {
    private final ElectraConfig config;
    private final ElectraModel electra;
    private final Linear dense;
    private final LayerNorm layerNorm;
    private final Linear lmHead;

    public ElectraForMaskedLM(ElectraConfig c, SplittableRandom init, SeedStream seeds) {
        this.config = c;
        electra = registerModule("electra", new ElectraModel(c, init, seeds));
        ElectraLayer.Container head = registerModule("generator_predictions", new ElectraLayer.Container());
        dense = head.add("dense", new Linear(c.hiddenSize(), c.embeddingSize(), true, init, c.initializerRange()));
        layerNorm = head.add("LayerNorm", new LayerNorm(c.embeddingSize(), c.layerNormEps()));
        lmHead = registerModule("generator_lm_head", new Linear(c.embeddingSize(), c.vocabSize(), true, null, 0f));
        tieWeights();
    }

    /** Points the LM head at the current word-embedding matrix (again after the embeddings module was swapped). */
    public void tieWeights() {
        Tensor shared = electra.embeddings().wordEmbeddings().weight();
        Tensor old = lmHead.weight();
        lmHead.replaceParameter("weight", shared);
        if (old != shared) old.close();
    }

    /** Logits [B, T, V]. */
    public Tensor forward(EncoderInput in) {
        Tensor h = electra.forward(in).lastHiddenState();
        Tensor x = layerNorm.forward(dense.forward(h).gelu()); // [B, T, E]
        return MatMul.linear(x, lmHead.weight(), lmHead.bias());
    }

    /**
     * Logits [M, V] at the given flat positions ({@code b * T + t}) only. The LM head over a 30k vocabulary is the
     * generator's largest GEMM, and pre-training scores only the masked positions (ELECTRA's original gathers them
     * before the head too); the rows equal those of {@link #forward} at the same positions.
     */
    public Tensor logitsAt(EncoderInput in, int[] positions) {
        Tensor h = electra.forward(in).lastHiddenState(); // [B, T, H]
        int n = in.batch() * in.length();
        // A row gather is an embedding lookup on the hidden states: its backward scatters into the chosen rows.
        Tensor rows = EmbeddingLookup.lookup(h.reshape(n, config.hiddenSize()), positions, new int[]{positions.length}, -1); // [M, H]
        Tensor x = layerNorm.forward(dense.forward(rows).gelu()); // [M, E]
        return MatMul.linear(x, lmHead.weight(), lmHead.bias());
    }

    /** HF's MLM loss: cross-entropy averaged over positions whose label is not -100 (NaN when there are none). */
    public static Tensor loss(Tensor logits, int[] labels) {
        int vocab = logits.size(-1);
        return Losses.crossEntropy(logits.reshape(-1, vocab), labels, -100);
    }

    public ElectraModel electra() {
        return electra;
    }

    public ElectraConfig config() {
        return config;
    }
}
