package io.elektron.bench;

/** The three end-to-end workloads, each on [batch, 128] random token ids with no padding. */
public enum Workload {
    /** Eval mode, no graph: forward to the logits. */
    INFERENCE("inference", 32, 1),
    /** Train mode (dropout on): forward, BCE-with-logits, backward, AdamW, zero grads. */
    TRAINING("training", 16, 3),
    /** As TRAINING with FGM (eps 1, matrix form) between backward and optimizer step: two forwards, two backwards. */
    FGM("fgm", 16, 6);

    public static final int SEQ = 128;

    public final String id;
    public final int batch;
    /** Model-FLOP multiple of one forward: inference 1, training 3 (fwd + 2x bwd), FGM 6 (two fwd + bwd). */
    public final int forwardMultiple;

    Workload(String id, int batch, int forwardMultiple) {
        this.id = id;
        this.batch = batch;
        this.forwardMultiple = forwardMultiple;
    }

    public int tokensPerStep() {
        return batch * SEQ;
    }

    /**
     * Model FLOPs per token of one step: 2N + 4LdT per forward, so inference 2N + 4LdT, training 6N + 12LdT, FGM
     * twice the training figure (it runs the forward and backward twice per batch).
     */
    public double flopsPerToken(long nonEmbeddingParams, int layers, int hidden) {
        return forwardMultiple * ElectraGeometry.inferenceFlopsPerToken(nonEmbeddingParams, layers, hidden, SEQ);
    }

    public static Workload parse(String name) {
        for (Workload w : values()) {
            if (w.id.equalsIgnoreCase(name)) return w;
        }
        throw new IllegalArgumentException("unknown workload '" + name + "' (expected inference, training or fgm)");
    }
}
