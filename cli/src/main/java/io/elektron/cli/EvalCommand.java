package io.elektron.cli;

import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfModels;
import io.elektron.model.metrics.MetricsReport;
import io.elektron.model.metrics.MultiLabelMetrics;
import io.elektron.model.train.PadToken;
import io.elektron.model.train.Predictor;
import io.elektron.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a fine-tuned classifier on labelled data.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Fine-tuned model folder (e.g. runs/.../best) or hub id.")
    String model;

    @Option(names = "--data", required = true, description = "Labelled data (.tsv, .csv, .jsonl).")
    Path data;

    @Option(names = "--threshold", description = "Decision threshold (default: the tuned global threshold in thresholds.json, else 0.5).")
    Float threshold;

    @Option(names = "--max-length", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Inputs per forward pass (sorted by length, real tokens only). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--json", description = "Print metrics as JSON.")
    boolean json;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (batchSize <= 0) throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        // 0 and 1 are no decision rule: every label, or none, for every text.
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("--threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path folder = ModelSource.resolve(model);
        ElectraForSequenceClassification classifier = HfModels.sequenceClassifier(folder, null, 0).model();
        Dataset d = dataOptions.read(data, classifier.config().labelNames());
        if (!d.isFullyLabeled()) throw new IllegalArgumentException(data + ": eval needs labels on every example");
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(folder);
        float t = threshold != null ? threshold : Thresholds.global(folder);
        float[][] probs = Predictor.probabilities(classifier, InferenceInputs.encode(tokenizer, d, maxLength), batchSize, PadToken.id(tokenizer, classifier.config()));
        MetricsReport report = MultiLabelMetrics.evaluate(probs, d.labelMatrix(), t, d.labelNames());
        if (json) out.println(report.toJson());
        else out.println(report.toText());
        return ExitCode.OK;
    }
}
