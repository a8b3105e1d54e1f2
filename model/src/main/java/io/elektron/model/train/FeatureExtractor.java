package io.elektron.model.train;

import io.elektron.core.PackedSequences;
import io.elektron.core.Backend;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.ops.MatMul;
import io.elektron.core.ops.RowGather;
import io.elektron.model.ElectraModel;
import io.elektron.model.EncoderOutput;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Batched feature extraction: the encoder's last hidden states per input, pooled or not, streamed back in input
 * order. Inputs are taken a window at a time, sorted by length inside the window, batched, and run packed (real
 * tokens only), so neither padding nor a whole file's outputs ever sit in memory.
 */
public final class FeatureExtractor {
    /** Batches sorted together before the window's outputs are released in input order. */
    static final int WINDOW_BATCHES = 64;

    private final ElectraModel encoder;
    private final int batchSize;
    private final int padId;
    private final Pooling pooling;

    /** One input's features: [T, H] row-major for {@link Pooling#NONE}, [H] otherwise. */
    public record Features(TokenizedExample example, float[] values, int rows, int hidden) {
    }

    public FeatureExtractor(ElectraModel encoder, int batchSize, int padId, Pooling pooling) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        this.encoder = encoder;
        this.batchSize = batchSize;
        this.padId = padId;
        this.pooling = pooling;
    }

    /** Runs every example and hands its features to {@code sink} in the order of {@code examples}. */
    public void run(List<TokenizedExample> examples, Consumer<Features> sink) {
        boolean wasTraining = encoder.isTraining();
        encoder.eval();
        int window = batchSize * WINDOW_BATCHES;
        try (GradMode off = GradMode.disabled()) {
            for (int start = 0; start < examples.size(); start += window) {
                List<TokenizedExample> part = examples.subList(start, Math.min(examples.size(), start + window));
                Features[] out = new Features[part.size()];
                List<Integer> order = new ArrayList<>(part.size());
                for (int i = 0; i < part.size(); i++) order.add(i);
                order.sort(Comparator.comparingInt(i -> part.get(i).length()));
                for (int b = 0; b < order.size(); b += batchSize) {
                    List<Integer> members = order.subList(b, Math.min(order.size(), b + batchSize));
                    List<TokenizedExample> batch = new ArrayList<>(members.size());
                    for (int i : members) batch.add(part.get(i));
                    Features[] features = extract(batch);
                    for (int j = 0; j < members.size(); j++) out[members.get(j)] = features[j];
                }
                for (Features f : out) sink.accept(f);
            }
        } finally {
            encoder.train(wasTraining);
        }
    }

    /** Features of one batch, in batch order. */
    private Features[] extract(List<TokenizedExample> batch) {
        try (TensorScope scope = TensorScope.open()) {
            EncoderOutput enc = encoder.forwardPacked(Batches.pad(batch, padId));
            PackedSequences seqs = enc.packed().sequences();
            Tensor last = enc.lastHiddenState(); // [N, H]
            int h = encoder.config().hiddenSize();
            int b = batch.size();
            // Pooling runs before the copy to the host, so only [B, H] crosses over (not the [N, H] states).
            float[] pooled = switch (pooling) {
                case NONE -> last.toFloatArray();
                case CLS -> RowGather.gather(last, seqs.firstRows()).toFloatArray();
                case MEAN -> MatMul.matmul(meanWeights(seqs, last.backend()), last, false, false).toFloatArray();
            };
            Features[] out = new Features[b];
            for (int s = 0; s < b; s++) {
                int t = seqs.length(s);
                float[] values = pooling == Pooling.NONE
                        ? Arrays.copyOfRange(pooled, seqs.start(s) * h, (seqs.start(s) + t) * h)
                        : Arrays.copyOfRange(pooled, s * h, (s + 1) * h);
                out[s] = new Features(batch.get(s), values, pooling == Pooling.NONE ? t : 1, h);
            }
            return out;
        }
    }

    /** [B, N] with 1 / T_s over sequence s's rows: times the [N, H] states, each sequence's mean over real tokens. */
    private static Tensor meanWeights(PackedSequences seqs, Backend backend) {
        int n = seqs.tokens();
        float[] w = new float[seqs.count() * n];
        for (int s = 0; s < seqs.count(); s++) {
            Arrays.fill(w, s * n + seqs.start(s), s * n + seqs.start(s) + seqs.length(s), 1f / seqs.length(s));
        }
        return Tensor.of(backend, w, seqs.count(), n);
    }
}
