package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.model.ElectraConfig;
import io.elektron.model.adversarial.AdversarialTraining;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The main job on built-in defaults: fine-tune a real pretrained encoder (all-MiniLM-L6-v2, from Maven Central,
 * converted once from its ONNX export) on the bundled GoEmotions sample with and without FGM, on CPU, and print both
 * scores beside the trivial "predict every label" baseline. {@code --model random} trains a small ELECTRA from random
 * initialisation instead (no download; its scores stay near that baseline).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Train on the bundled GoEmotions sample (2000 train / 300 dev / 300 test) with and without FGM and compare.")
final class QuickstartCommand implements Callable<Integer> {
    private static final String SAMPLE = "/io/elektron/model/sample/goemotions-sample/";

    @Spec
    CommandSpec spec;

    /** The real pretrained encoder Maven Central serves: BERT-architecture, 6 layers, hidden 384, 22.6 M parameters. */
    static final String DEFAULT_MODEL = "all-minilm-l6-v2";
    /** The way to ask for the download-free demo. */
    static final String RANDOM_MODEL = "random";

    @Option(names = "--model", defaultValue = DEFAULT_MODEL, description = "A pretrained HF folder, hub id, or Maven model"
            + " (maven:GROUP:ARTIFACT:VERSION). Default: ${DEFAULT-VALUE}, the pretrained all-MiniLM-L6-v2 encoder"
            + " (downloaded from Maven Central once, 83 MB, then converted from ONNX and cached). 'random': a small ELECTRA"
            + " from random initialisation, no download.")
    String model;

    @Option(names = "--out", description = "Run folder, new or empty (see --overwrite). Default: a new runs/quickstart/<time>, so running the demo again never meets a previous run.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the results of a previous quickstart in --out (they are moved aside to <out>.previous-<time>, not deleted).")
    boolean overwrite;

    @Option(names = "--epochs", defaultValue = "4", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--limit", description = "Use only the first N training examples.")
    Integer limit;

    @Option(names = "--methods", defaultValue = "none,fgm", split = ",", description = "Methods to compare: none, fgm, fgm-miyato, pgd, freelb, random. Default: ${DEFAULT-VALUE}.")
    List<String> methods;

    @Option(names = "--json", description = "Print the results as one JSON document on standard output (each method's"
            + " metrics, as in its metrics.json, and the baseline); progress and tables go to standard error.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        // With --json, standard output carries exactly one JSON document; everything meant for people goes to stderr.
        PrintWriter pw = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        ObjectNode document = new ObjectMapper().createObjectNode();
        ObjectNode methodResults = document.putObject("methods");
        // Every method is checked before the first one trains for minutes.
        for (String method : methods) adversarial(method);
        if (out == null) {
            out = Path.of("runs", "quickstart", java.time.LocalDateTime.now().format(
                    java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        RunFolder runFolder = RunFolder.check(out, overwrite, null);
        Path modelFolder = model.equals(RANDOM_MODEL) ? null : ModelSource.resolve(model);
        runFolder.prepareForNewRun(spec.commandLine().getErr());
        Path dataDir = out.resolve("data");
        extractSample(dataDir);
        Dataset train = DatasetReader.read(dataDir.resolve("train.tsv"));
        if (limit != null) train = Datasets.limit(train, limit);
        Dataset dev = DatasetReader.read(dataDir.resolve("dev.tsv"), train.labelNames(), io.elektron.model.data.ReadOptions.DEFAULTS);
        Dataset test = DatasetReader.read(dataDir.resolve("test.tsv"), train.labelNames(), io.elektron.model.data.ReadOptions.DEFAULTS);

        Path tokenizerFolder = modelFolder;
        ElectraConfig scratch = null;
        // 4 epochs of 63 steps: a short schedule, so a higher peak than the 1e-4 of full-data fine-tuning.
        float lr = 2e-4f;
        if (modelFolder == null) {
            tokenizerFolder = out.resolve("vocab");
            Files.createDirectories(tokenizerFolder);
            copyResource("/io/elektron/cli/vocab/bert-base-uncased-vocab.txt", tokenizerFolder.resolve("vocab.txt"));
            scratch = ElectraConfig.of(30522, 128, 256, 4, 4, 1024, 128, train.labelNames());
            lr = 5e-4f;
            pw.println("--model random: training a small ELECTRA (4 layers, hidden 256) from random initialisation;");
            pw.println("  expect scores near the predict-every-label baseline (the default --model " + DEFAULT_MODEL + " is pretrained)");
        }
        pw.printf("data: bundled GoEmotions sample, %d train / %d dev / %d test, %d labels%n", train.size(), dev.size(),
                test.size(), train.numLabels());
        StringBuilder table = new StringBuilder();
        table.append(String.format("%-12s %10s %10s %10s %10s %10s%n", "method", "micro@0.5", "macro@0.5", "micro@tuned", "macro@tuned", "s/epoch"));
        for (String method : methods) {
            // pos_weight: with 28 rare labels plain BCE first learns to predict every label's prior (docs/results.md).
            TrainingOptions options = TrainingOptions.defaults().withEpochs(epochs).withLearningRate(lr)
                    .withPosWeight(TrainingOptions.PosWeight.AUTO)
                    .withAdversarial(adversarial(method));
            Path runDir = out.resolve(method);
            pw.println();
            pw.println("== " + method + " ==");
            FineTuneJob job = new FineTuneJob(modelFolder, scratch, tokenizerFolder, train, dev, test, options, runDir,
                    0, // minutes on the bundled sample: epoch-end checkpoints are enough
                    RunRecord.of("quickstart", modelFolder, java.util.Map.of("train", dataDir.resolve("train.tsv"),
                            "dev", dataDir.resolve("dev.tsv"), "test", dataDir.resolve("test.tsv")), limit, options));
            Trainer.Result r;
            try (TrainingProgress progress = new TrainingProgress(pw, false, "[" + method + "] ",
                    ProgressDisplay.forThisProcess(spec.commandLine().getErr()))) {
                r = job.run(progress, pw, null);
            }
            RunReport.write(runDir, r, options, pw);
            methodResults.set(method, RunReport.summaryJson(r, options));
            double spe = r.history().stream().mapToDouble(io.elektron.model.train.EpochRecord::seconds).average().orElse(0);
            table.append(String.format("%-12s %10.4f %10.4f %10.4f %10.4f %10.1f%n", method, r.testAtHalf().micro().f1(),
                    r.testAtHalf().macro().f1(), r.testAtGlobal().micro().f1(), r.testAtGlobal().macro().f1(), spe));
        }
        float[][] everyLabel = new float[test.size()][train.numLabels()];
        for (float[] row : everyLabel) java.util.Arrays.fill(row, 1f);
        var trivial = io.elektron.model.metrics.MultiLabelMetrics.evaluate(everyLabel, test.labelMatrix(), 0.5f, train.labelNames());
        table.append(String.format("%-12s %10.4f %10.4f %10s %10s%n", "(baseline)", trivial.micro().f1(), trivial.macro().f1(), "", ""));
        pw.println();
        pw.println("test set (" + test.size() + " examples; 'tuned' = global threshold tuned on dev; baseline = predict every label):");
        pw.print(table);
        pw.println("One seed on a tiny sample is an anecdote, not an answer: run `elektron experiment adv` with several seeds.");
        if (json) {
            var baseline = document.putObject("predict_every_label_baseline");
            baseline.put("test_micro_f1", trivial.micro().f1());
            baseline.put("test_macro_f1", trivial.macro().f1());
            spec.commandLine().getOut().println(document.toString());
        }
        return ExitCode.OK;
    }

    private static io.elektron.model.adversarial.AdversarialTraining adversarial(String method) {
        return AdversarialTraining.parse(method, AdversarialTraining.defaultEps(method), 0.3f, 3);
    }

    static void extractSample(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of("train.tsv", "dev.tsv", "test.tsv", "labels.txt", "LICENSE", "README.md")) {
            copyResource(SAMPLE + f, dir.resolve(f));
        }
    }

    static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = QuickstartCommand.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("bundled resource " + resource + " is missing from this build");
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
