package io.elektron.examples.docs;

import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.ElectraModel;
import io.elektron.model.adversarial.Fgm;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.data.Example;
import io.elektron.model.data.ReadOptions;
import io.elektron.model.hf.HfFolderWriter;
import io.elektron.model.hf.HfModels;
import io.elektron.model.train.ExampleEncoder;
import io.elektron.model.train.PadToken;
import io.elektron.model.train.Prediction;
import io.elektron.model.train.Predictor;
import io.elektron.model.train.Thresholds;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingArgs;
import io.elektron.model.train.TrainingOptions;
import io.elektron.model.train.TokenizedExample;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two programs of the README's "Elektron as a library" section, run on a small ELECTRA saved as an HF folder and
 * the bundled GoEmotions sample: fine-tune with FGM, then predict with the fine-tuned model.
 */
class JavaApiTest {
    @Test
    void fineTuneWithFgmThenPredict(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        for (String f : List.of("train.tsv", "dev.tsv", "test.tsv", "labels.txt")) {
            try (InputStream in = getClass().getResourceAsStream("/io/elektron/model/sample/goemotions-sample/" + f)) {
                Files.copy(in, data.resolve(f));
            }
        }
        Path pretrained = dir.resolve("small-electra");
        Path vocab = Files.createDirectories(dir.resolve("vocab")).resolve("vocab.txt");
        try (InputStream in = getClass().getResourceAsStream("/io/elektron/cli/vocab/bert-base-uncased-vocab.txt")) {
            Files.copy(in, vocab);
        }
        ElectraConfig small = ElectraConfig.of(30522, 32, 32, 1, 2, 64, 128, List.of());
        HfFolderWriter.save(pretrained, new ElectraModel(small, new SplittableRandom(1), new SeedStream(1)),
                small, "ElectraModel", vocab.getParent(), Map.of());
        Path runFolder = dir.resolve("java-fgm");

        // ---- fine-tune with FGM
        Dataset train = DatasetReader.read(data.resolve("train.tsv"));   // labels.txt beside it names the labels
        Dataset dev = DatasetReader.read(data.resolve("dev.tsv"), train.labelNames(), ReadOptions.DEFAULTS);
        Dataset test = DatasetReader.read(data.resolve("test.tsv"), train.labelNames(), ReadOptions.DEFAULTS);
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(pretrained, train.labelNames(), 42).model();
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(pretrained);
        TrainingOptions options = TrainingOptions.defaults().withEpochs(1).withLearningRate(5e-4f)
                .withPosWeight(TrainingOptions.PosWeight.AUTO).withAdversarial(new Fgm(1f));
        Trainer.Result result = new Trainer(model, tokenizer, pretrained, options, runFolder, null).fit(train, dev, test);
        System.out.printf("test macro-F1 %.3f, best model in %s%n", result.testAtGlobal().macro().f1(), result.bestCheckpoint());
        model.close(); // parameters live in native memory: free them now, not when the GC gets round to it

        assertEquals(1, result.history().size());
        assertTrue(Files.isRegularFile(result.bestCheckpoint().resolve("model.safetensors")));
        Path folder = result.bestCheckpoint();

        // ---- predict
        ElectraForSequenceClassification classifier = HfModels.sequenceClassifier(folder, null, 0).model();
        WordPieceTokenizer vocabulary = WordPieceTokenizer.fromFolder(folder);
        int maxLength = TrainingArgs.maxLength(folder).orElse(128);   // the length it was fine-tuned with
        List<TokenizedExample> inputs = new ExampleEncoder(vocabulary, maxLength).encode(List.of(
                new Example("I can't believe how good this was", null, null, "a"),
                new Example("why would anyone do that?", null, null, "b")));
        List<String> labels = classifier.config().labelNames();
        float[] thresholds = Thresholds.read(folder, labels).globalForEveryLabel();   // tuned on dev, in thresholds.json
        List<Prediction> predictions = Predictor.predict(classifier, inputs, 32, PadToken.id(vocabulary, classifier.config()), thresholds);
        System.out.println(predictions.get(0).chosen() + ", most probable: " + predictions.get(0).ranked().get(0));
        float[][] probabilities = Predictor.probabilities(classifier, inputs, 32, PadToken.id(vocabulary, classifier.config()));
        classifier.close();                                        // probabilities[i][j]: text i has label j, as a matrix

        assertEquals(2, probabilities.length);
        assertEquals(28, labels.size());
        for (float[] row : probabilities) for (float p : row) assertTrue(p > 0 && p < 1);
        assertEquals(options.maxLength(), maxLength, "the checkpoint records the length it was trained with");
        for (int i = 0; i < 2; i++) {
            Prediction p = predictions.get(i);
            assertEquals(28, p.ranked().size());
            for (int k = 1; k < 28; k++) assertTrue(p.ranked().get(k - 1).probability() >= p.ranked().get(k).probability());
            for (int j = 0; j < 28; j++) {
                assertEquals(probabilities[i][j], p.probability(labels.get(j)), 0f);
                assertEquals(probabilities[i][j] >= thresholds[j], p.chosen().contains(labels.get(j)), labels.get(j));
            }
        }
    }
}
