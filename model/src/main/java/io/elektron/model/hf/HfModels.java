package io.elektron.model.hf;

import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForMaskedLM;
import io.elektron.model.ElectraForPreTraining;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.ElectraModel;
import io.elektron.weights.Checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * from_pretrained for each ELECTRA class: read config.json, build the model (heads initialised from {@code seed} as
 * HF's _init_weights would), then fill it from the folder's weights.
 */
public final class HfModels {
    private HfModels() {
    }

    /** A loaded model and what loading did. */
    public record Loaded<M>(M model, ElectraConfig config, LoadReport report) {
    }

    /**
     * A multi-label classifier. With {@code labels} null the config's id2label is used; otherwise the head is sized for
     * the given labels. A head absent from the checkpoint (a pretrained encoder) is initialised and reported.
     */
    public static Loaded<ElectraForSequenceClassification> sequenceClassifier(Path folder, List<String> labels, long seed)
            throws IOException {
        ElectraConfig config = load(folder);
        boolean newHead = labels != null && !labels.equals(config.labelNames());
        if (labels != null) config = config.withLabels(labels);
        if (config.numLabels() == 0) {
            throw new IOException(folder.resolve("config.json") + ": no id2label, so the number of labels is unknown; pass the labels of your data");
        }
        var model = new ElectraForSequenceClassification(config, new SplittableRandom(seed), new SeedStream(seed));
        if (newHead) {
            // A differently sized head in the checkpoint must not be loaded (shape mismatch): load the encoder only.
            LoadReport r = PretrainedLoader.load(model.electra(), PretrainedLoader.weightsFile(folder), n -> false, Map.of());
            return new Loaded<>(model, config, r);
        }
        LoadReport r = PretrainedLoader.load(model, PretrainedLoader.weightsFile(folder), n -> n.startsWith("classifier."), Map.of());
        return new Loaded<>(model, config, r);
    }

    /**
     * config.json, checked against the weights file before anything is allocated: a config describing a far larger
     * model than the file holds (a hostile or mismatched folder) would otherwise ask for gigabytes of native memory.
     */
    static ElectraConfig load(Path folder) throws IOException {
        ElectraConfig config = ElectraConfig.load(folder.resolve("config.json"));
        Path weights = PretrainedLoader.weightsFile(folder);
        long stored = 0;
        try (Checkpoint c = Checkpoint.open(weights)) {
            for (String name : c.names()) stored += c.get(name).numel();
        }
        long needed = encoderParameters(config);
        if (needed > stored) {
            throw new IOException(folder.resolve("config.json") + " describes an encoder of " + needed
                    + " parameters (vocab_size " + config.vocabSize() + ", hidden_size " + config.hiddenSize()
                    + ", num_hidden_layers " + config.numHiddenLayers() + "), but " + weights + " holds only " + stored
                    + " values: they do not belong together");
        }
        return config;
    }

    /** Parameters of the encoder a config describes (embeddings, projection, layers; no head). */
    static long encoderParameters(ElectraConfig c) {
        long e = c.embeddingSize();
        long h = c.hiddenSize();
        long i = c.intermediateSize();
        long n = ((long) c.vocabSize() + c.maxPositionEmbeddings() + c.typeVocabSize()) * e + 2 * e;
        if (c.hasEmbeddingsProjection()) n += e * h + h;
        long layer = 4 * (h * h + h) + 4 * h + (h * i + i) + (i * h + h);
        return n + layer * c.numHiddenLayers();
    }

    public static Loaded<ElectraModel> encoder(Path folder, long seed) throws IOException {
        ElectraConfig config = load(folder);
        ElectraModel model = new ElectraModel(config, new SplittableRandom(seed), new SeedStream(seed));
        LoadReport r = PretrainedLoader.load(model, PretrainedLoader.weightsFile(folder), n -> false, Map.of());
        return new Loaded<>(model, config, r);
    }

    public static Loaded<ElectraForPreTraining> discriminator(Path folder, long seed) throws IOException {
        ElectraConfig config = load(folder);
        var model = new ElectraForPreTraining(config, new SplittableRandom(seed), new SeedStream(seed));
        LoadReport r = PretrainedLoader.load(model, PretrainedLoader.weightsFile(folder),
                n -> n.startsWith("discriminator_predictions."), Map.of());
        return new Loaded<>(model, config, r);
    }

    public static Loaded<ElectraForMaskedLM> generator(Path folder, long seed) throws IOException {
        ElectraConfig config = load(folder);
        var model = new ElectraForMaskedLM(config, new SplittableRandom(seed), new SeedStream(seed));
        LoadReport r = PretrainedLoader.load(model, PretrainedLoader.weightsFile(folder),
                n -> n.startsWith("generator_"),
                Map.of("generator_lm_head.weight", "electra.embeddings.word_embeddings.weight"));
        return new Loaded<>(model, config, r);
    }
}
