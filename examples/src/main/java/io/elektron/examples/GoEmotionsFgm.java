package io.elektron.examples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.adversarial.AdversarialTraining;
import io.elektron.model.adversarial.Fgm;
import io.elektron.model.adversarial.NoAdversary;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.data.ReadOptions;
import io.elektron.model.metrics.MetricsReport;
import io.elektron.model.train.EpochRecord;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingListener;
import io.elektron.model.train.TrainingOptions;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Example 3 — multi-label fine-tuning with and without FGM. A tiny ELECTRA (2 layers, hidden 64, random init) is
 * trained on a few hundred lines of the bundled GoEmotions sample (28 emotions, several per comment), once plainly
 * and once with FGM on the word-embedding matrix, same seed, same data. Printed per epoch: the loss, dev macro-F1,
 * and for FGM what the attack did — the perturbation's norm and how much it raised the loss. Then test scores of both.
 *
 * <p>A random-init model this small learns mostly label frequencies: the point is to see the machinery, not to
 * settle whether FGM helps (for that: a pretrained model, the full data, several seeds — {@code elektron experiment adv}).
 *
 * <pre>{@code ./examples/run goemotions-fgm [--quick] [--out DIR]}</pre>
 */
public final class GoEmotionsFgm {
    private static final String SAMPLE = "/io/elektron/model/sample/goemotions-sample/";
    private static final String VOCAB = "/io/elektron/cli/vocab/bert-base-uncased-vocab.txt";
    /**
     * FGM's eps is a norm in embedding space, so it must match the embeddings' scale: the usual 1.0 suits pretrained
     * ELECTRA rows (norm ~1); rows initialised with std 0.02 in 64 dimensions have norm ~0.16, and at eps 0.1 this
     * model already learns to ignore its input (the attack then changes the loss by 0). 0.05 keeps it learning.
     */
    static final float EPS = 0.05f;

    /** Test scores of one method, and the mean effect of its attack over the last epoch (NaN without one). */
    public record MethodResult(String method, double firstEpochLoss, double lastEpochLoss, double testMicroF1,
                               double testMacroF1, Double testMacroAuc, double perturbationNorm, double lossIncrease) {
    }

    public static void main(String[] args) throws IOException {
        ExampleArgs.singleThreadedUnlessSet(); // batches of 16 x 64 tokens x 64 dims: one thread is faster
        ExampleArgs a = ExampleArgs.parse(args, "runs/examples/goemotions-fgm");
        run(a.quick(), a.out(), System.out);
    }

    public static List<MethodResult> run(boolean quick, Path outDir, PrintStream out) throws IOException {
        Path data = outDir.resolve("data");
        Path vocab = outDir.resolve("vocab");
        Files.createDirectories(data);
        Files.createDirectories(vocab);
        for (String f : List.of("train.tsv", "dev.tsv", "test.tsv", "labels.txt")) copy(SAMPLE + f, data.resolve(f));
        copy(VOCAB, vocab.resolve("vocab.txt"));

        Dataset train = first(DatasetReader.read(data.resolve("train.tsv")), quick ? 300 : 800);
        Dataset dev = first(DatasetReader.read(data.resolve("dev.tsv"), train.labelNames(), ReadOptions.DEFAULTS), quick ? 100 : 300);
        Dataset test = first(DatasetReader.read(data.resolve("test.tsv"), train.labelNames(), ReadOptions.DEFAULTS), quick ? 150 : 300);
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(vocab);
        // No dropout: the clean and the adversarial pass then differ only by the perturbation, so the printed loss
        // change is the attack's own effect (with dropout each pass draws new masks and the change is mostly noise).
        ElectraConfig config = new ElectraConfig(tokenizer.vocabSize(), 64, 64, 2, 2, 256, "gelu", 0f, 0f, null, 128, 2,
                0.02f, 1e-12f, tokenizer.padId(), train.labelNames(), "multi_label_classification",
                JsonNodeFactory.instance.objectNode().put("model_type", "electra"));
        TrainingOptions options = TrainingOptions.defaults().withEpochs(quick ? 2 : 4).withBatchSize(16)
                .withLearningRate(3e-3f).withMaxLength(64).withPosWeight(TrainingOptions.PosWeight.AUTO).withSeed(7);
        out.printf("GoEmotions sample: %d train / %d dev / %d test lines, %d labels; ELECTRA 2 x 64 from random init,"
                + " %d epochs%n", train.size(), dev.size(), test.size(), train.numLabels(), options.epochs());

        List<MethodResult> results = new ArrayList<>();
        for (AdversarialTraining method : List.of(new NoAdversary(), new Fgm(EPS))) {
            out.println();
            out.println("== " + method.name() + " ==");
            ElectraForSequenceClassification model = new ElectraForSequenceClassification(config,
                    new SplittableRandom(options.seed()), new SeedStream(options.seed()));
            List<EpochRecord> epochs = new ArrayList<>();
            TrainingListener listener = new TrainingListener() {
                @Override
                public void onEpoch(EpochRecord r) {
                    epochs.add(r);
                    String attack = Double.isNaN(r.meanLossIncrease()) ? ""
                            : String.format(Locale.ROOT, "  |r| %.3f  attack changed the loss by %+.4f", r.meanPerturbationNorm(), r.meanLossIncrease());
                    out.printf(Locale.ROOT, "epoch %d  train loss %.4f  dev macro-F1 %.4f  (%.1f s)%s%n", r.epoch(),
                            r.trainLoss(), r.devTuned().macro().f1(), r.seconds(), attack);
                }
            };
            Trainer.Result r;
            try {
                r = new Trainer(model, tokenizer, vocab, options.withAdversarial(method), outDir.resolve(method.name()),
                        listener).fit(train, dev, test);
            } finally {
                model.close();
            }
            MetricsReport t = r.testAtGlobal();
            EpochRecord lastEpoch = epochs.get(epochs.size() - 1);
            results.add(new MethodResult(method.name(), epochs.get(0).trainLoss(), lastEpoch.trainLoss(), t.micro().f1(),
                    t.macro().f1(), t.rocAuc().macroAuc(), lastEpoch.meanPerturbationNorm(), lastEpoch.meanLossIncrease()));
        }

        out.println();
        out.println("test (global threshold tuned on dev):");
        out.printf("%-6s %9s %9s %10s%n", "method", "micro-F1", "macro-F1", "macro-AUC");
        for (MethodResult m : results) {
            out.printf(Locale.ROOT, "%-6s %9.4f %9.4f %10s%n", m.method(), m.testMicroF1(), m.testMacroF1(),
                    m.testMacroAuc() == null ? "-" : String.format(Locale.ROOT, "%.4f", m.testMacroAuc()));
        }
        out.println("One seed, a tiny random-init model and " + test.size() + " test lines: an anecdote, not an answer.");
        return results;
    }

    private static Dataset first(Dataset d, int n) {
        return d.size() <= n ? d : new Dataset(d.examples().subList(0, n), d.labelNames());
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = GoEmotionsFgm.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("bundled resource " + resource + " is missing from the class path");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
