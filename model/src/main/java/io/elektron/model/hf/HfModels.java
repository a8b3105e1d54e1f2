package io.elektron.model.hf;

import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForMaskedLM;
import io.elektron.model.ElectraForPreTraining;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.ElectraModel;

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
        ElectraConfig config = ElectraConfig.load(folder.resolve("config.json"));
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

    public static Loaded<ElectraModel> encoder(Path folder, long seed) throws IOException {
        ElectraConfig config = ElectraConfig.load(folder.resolve("config.json"));
        ElectraModel model = new ElectraModel(config, new SplittableRandom(seed), new SeedStream(seed));
        LoadReport r = PretrainedLoader.load(model, PretrainedLoader.weightsFile(folder), n -> false, Map.of());
        return new Loaded<>(model, config, r);
    }

    public static Loaded<ElectraForPreTraining> discriminator(Path folder, long seed) throws IOException {
        ElectraConfig config = ElectraConfig.load(folder.resolve("config.json"));
        var model = new ElectraForPreTraining(config, new SplittableRandom(seed), new SeedStream(seed));
        LoadReport r = PretrainedLoader.load(model, PretrainedLoader.weightsFile(folder),
                n -> n.startsWith("discriminator_predictions."), Map.of());
        return new Loaded<>(model, config, r);
    }

    public static Loaded<ElectraForMaskedLM> generator(Path folder, long seed) throws IOException {
        ElectraConfig config = ElectraConfig.load(folder.resolve("config.json"));
        var model = new ElectraForMaskedLM(config, new SplittableRandom(seed), new SeedStream(seed));
        LoadReport r = PretrainedLoader.load(model, PretrainedLoader.weightsFile(folder),
                n -> n.startsWith("generator_"),
                Map.of("generator_lm_head.weight", "electra.embeddings.word_embeddings.weight"));
        return new Loaded<>(model, config, r);
    }
}
