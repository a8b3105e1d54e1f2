package io.elektron.model.inspect;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.Module;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.ElectraModel;
import io.elektron.model.EncoderInput;
import io.elektron.model.EncoderOutput;
import io.elektron.model.hf.HfModels;
import io.elektron.tokenizer.EncodeOptions;
import io.elektron.tokenizer.Encoding;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one text through a model and collects an {@link Inspection}: the engine of {@code elektron inspect}. Works on a
 * bare encoder (attention and hidden states) and on a classifier (plus probabilities and token attributions).
 */
public final class Inspector implements AutoCloseable {
    private final ElectraModel encoder;
    private final ElectraForSequenceClassification classifier; // null for a bare encoder
    private final WordPieceTokenizer tokenizer;
    private final Module owned; // the loaded model this inspector releases, or null
    private final String note;

    private Inspector(ElectraModel encoder, ElectraForSequenceClassification classifier, WordPieceTokenizer tokenizer,
                      Module owned, String note) {
        this.encoder = encoder;
        this.classifier = classifier;
        this.tokenizer = tokenizer;
        this.owned = owned;
        this.note = note;
    }

    public static Inspector of(ElectraForSequenceClassification classifier, WordPieceTokenizer tokenizer) {
        return new Inspector(classifier.electra(), classifier, tokenizer, null, null);
    }

    public static Inspector of(ElectraModel encoder, WordPieceTokenizer tokenizer) {
        return new Inspector(encoder, null, tokenizer, null, null);
    }

    /**
     * Loads an HF folder: a classifier when config.json names labels and the weights hold a trained
     * {@code classifier.*} head, else the encoder alone (with a {@link #note()} saying why).
     */
    public static Inspector fromFolder(Path folder) throws IOException {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(folder);
        ElectraConfig config = ElectraConfig.load(folder.resolve("config.json"));
        if (config.numLabels() > 0) {
            var loaded = HfModels.sequenceClassifier(folder, null, 0);
            boolean headMissing = loaded.report().missing().stream().anyMatch(n -> n.startsWith("classifier."));
            if (!headMissing) return new Inspector(loaded.model().electra(), loaded.model(), tokenizer, loaded.model(), null);
            return new Inspector(loaded.model().electra(), null, tokenizer, loaded.model(), "config.json names "
                    + config.numLabels() + " labels but the weights have no trained classification head:"
                    + " inspecting the encoder only (no probabilities or attributions)");
        }
        ElectraModel model = HfModels.encoder(folder, 0).model();
        return new Inspector(model, null, tokenizer, model, null);
    }

    public boolean isClassifier() {
        return classifier != null;
    }

    /** Why a classifier was not used, or null. */
    public String note() {
        return note;
    }

    public ElectraConfig config() {
        return encoder.config();
    }

    /**
     * @param pair             second text of a pair, or null
     * @param maxLength        truncation length in tokens (capped by max_position_embeddings)
     * @param attributedLabels how many of the most probable labels get token attributions (classifiers only)
     */
    public Inspection inspect(String text, String pair, int maxLength, int attributedLabels) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("nothing to inspect: the text is empty");
        int limit = Math.max(2, Math.min(maxLength, config().maxPositionEmbeddings()));
        EncodeOptions options = EncodeOptions.truncatedTo(limit);
        Encoding enc = pair == null ? tokenizer.encode(text, options) : tokenizer.encodePair(text, pair, options);
        int t = enc.length();
        EncoderInput input = new EncoderInput(1, t, enc.inputIds(), enc.attentionMask(), enc.tokenTypeIds());
        int heads = config().numAttentionHeads();

        List<Inspection.Layer> layers = new ArrayList<>();
        double embeddingNorm;
        float[] probabilities = null;
        boolean wasTraining = encoder.isTraining();
        encoder.eval();
        if (classifier != null) classifier.eval();
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled()) {
            EncoderOutput out;
            if (classifier != null) {
                ElectraForSequenceClassification.Output o = classifier.forward(input);
                out = o.encoder();
                float[] logits = o.logits().toFloatArray();
                probabilities = new float[logits.length];
                for (int i = 0; i < logits.length; i++) probabilities[i] = (float) (1 / (1 + Math.exp(-logits[i])));
            } else {
                out = encoder.forward(input);
            }
            embeddingNorm = mean(tokenNorms(out.hiddenStates().get(0), t));
            for (int l = 0; l < out.attentions().size(); l++) {
                float[][][] maps = maps(out.attentions().get(l).toFloatArray(), heads, t);
                float[] norms = tokenNorms(out.hiddenStates().get(l + 1), t);
                layers.add(new Inspection.Layer(l, maps, AttentionStatistics.entropyPerHead(maps, t),
                        AttentionStatistics.meanOverHeads(maps, 0), mean(norms), norms));
            }
        } finally {
            encoder.train(wasTraining);
            if (classifier != null) classifier.train(wasTraining);
        }
        List<TokenAttribution> attributions = List.of();
        List<String> labels = List.of();
        if (classifier != null) {
            labels = classifier.config().labelNames();
            int[] top = AttentionStatistics.topIndices(probabilities, Math.max(0, attributedLabels));
            attributions = TokenAttribution.compute(classifier, input, top);
        }
        return new Inspection(List.of(enc.tokens()), enc.inputIds().clone(), enc.tokenTypeIds().clone(), heads,
                embeddingNorm, List.copyOf(layers), labels, probabilities, attributions);
    }

    /** [B=1, heads, T, T] flat -> [heads][T][T]. */
    private static float[][][] maps(float[] flat, int heads, int t) {
        float[][][] out = new float[heads][t][];
        for (int h = 0; h < heads; h++) {
            for (int q = 0; q < t; q++) out[h][q] = Arrays.copyOfRange(flat, (h * t + q) * t, (h * t + q + 1) * t);
        }
        return out;
    }

    private static float[] tokenNorms(Tensor hidden, int t) {
        float[] v = hidden.toFloatArray();
        int dim = v.length / t;
        float[] out = new float[t];
        for (int i = 0; i < t; i++) {
            double sq = 0;
            for (int d = i * dim; d < (i + 1) * dim; d++) sq += (double) v[d] * v[d];
            out[i] = (float) Math.sqrt(sq);
        }
        return out;
    }

    private static double mean(float[] values) {
        double s = 0;
        for (float v : values) s += v;
        return values.length == 0 ? 0 : s / values.length;
    }

    /** Releases the model when this inspector loaded it. */
    @Override
    public void close() {
        if (owned != null) owned.close();
    }
}
