package io.elektron.bench;

import io.elektron.model.ElectraConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The two ELECTRA sizes the benchmarks use, with the batch geometry of a fine-tuning step (16 sequences of 128 tokens)
 * and the FLOP conventions the end-to-end harness reports.
 *
 * <p>FLOPs per token (Kaplan et al. 2020, the convention of PaLM's MFU): training 6N + 12LdT, inference 2N + 4LdT,
 * with N the parameters outside the three embedding tables (lookups, not matrix products), L layers, d the hidden size
 * and T the sequence length. N includes embeddings_project and the classification head, which runs on the first token
 * only, so MFU is overstated by under 1% for ELECTRA-small.
 */
public enum ElectraGeometry {
    /** google/electra-small-discriminator. */
    SMALL(30522, 128, 256, 12, 4, 1024),
    /** google/electra-base-discriminator (embedding size = hidden size: no embeddings_project). */
    BASE(30522, 768, 768, 12, 12, 3072);

    /** Fine-tuning batch of the kernel benchmarks. */
    public static final int BATCH = 16;
    public static final int SEQ = 128;
    public static final int MAX_POSITIONS = 512;
    public static final int TYPE_VOCAB = 2;
    /** GoEmotions: 27 emotions + neutral. */
    public static final int LABELS = 28;

    public final int vocab;
    public final int embedding;
    public final int hidden;
    public final int layers;
    public final int heads;
    public final int intermediate;

    ElectraGeometry(int vocab, int embedding, int hidden, int layers, int heads, int intermediate) {
        this.vocab = vocab;
        this.embedding = embedding;
        this.hidden = hidden;
        this.layers = layers;
        this.heads = heads;
        this.intermediate = intermediate;
    }

    public int headSize() {
        return hidden / heads;
    }

    /** Rows of every Linear in a [BATCH, SEQ] step. */
    public int rows() {
        return BATCH * SEQ;
    }

    /** A random-init configuration of this size with {@code labels} labels. */
    public ElectraConfig config(int labels) {
        return config(layers, labels);
    }

    /** The same widths with another depth (profiling one layer, tests). */
    public ElectraConfig config(int numLayers, int labels) {
        List<String> names = new ArrayList<>(labels);
        for (int i = 0; i < labels; i++) names.add("LABEL_" + i);
        return ElectraConfig.of(vocab, embedding, hidden, numLayers, heads, intermediate, MAX_POSITIONS, names);
    }

    /** Parameters of one encoder layer: Q, K, V, attention output, intermediate, output, two LayerNorms. */
    public long layerParameters() {
        long h = hidden;
        long i = intermediate;
        return 4 * (h * h + h) + (h * i + i) + (i * h + h) + 4 * h;
    }

    /** Parameters of ElectraForSequenceClassification with {@code labels} labels (checked against the model in tests). */
    public long classifierParameters(int labels) {
        long e = embedding;
        long h = hidden;
        long tables = (long) vocab * e + (long) MAX_POSITIONS * e + (long) TYPE_VOCAB * e;
        return tables + nonEmbeddingParameters(labels);
    }

    /** N: everything but the word, position and token-type tables. */
    public long nonEmbeddingParameters(int labels) {
        long e = embedding;
        long h = hidden;
        long embeddingsNorm = 2 * e;
        long project = e == h ? 0 : e * h + h;
        long head = h * h + h + h * labels + labels;
        return embeddingsNorm + project + layers * layerParameters() + head;
    }

    /** 6N + 12LdT. */
    public static double trainingFlopsPerToken(long n, int layers, int hidden, int seq) {
        return 6.0 * n + 12.0 * layers * hidden * seq;
    }

    /** 2N + 4LdT. */
    public static double inferenceFlopsPerToken(long n, int layers, int hidden, int seq) {
        return 2.0 * n + 4.0 * layers * hidden * seq;
    }
}
