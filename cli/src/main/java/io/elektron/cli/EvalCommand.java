package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfModels;
import io.elektron.model.metrics.LabelScores;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Fine-tuned model folder (e.g. runs/.../best) or hub id.")
    String model;

    @Option(names = "--data", required = true, description = "Labelled data (.tsv, .csv, .jsonl).")
    Path data;

    @Option(names = "--max-length", description = "Truncate to this many tokens. Default: the length the model was fine-tuned with (training_args.json in the model folder), else 128.")
    Integer maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Inputs per forward pass (sorted by length, real tokens only). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--json", description = "Print metrics as JSON.")
    boolean json;

    @Mixin
    ThresholdOptions thresholdOptions;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (batchSize <= 0) throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        thresholdOptions.validate();
        PrintWriter out = spec.commandLine().getOut();
        Path folder = ModelSource.resolve(model);
        ElectraForSequenceClassification classifier = HfModels.sequenceClassifier(folder, null, 0).model();
        ThresholdOptions.Chosen thresholds = thresholdOptions.choose(folder, classifier.config().labelNames());
        Dataset d = dataOptions.read(data, classifier.config().labelNames());
        if (!d.isFullyLabeled()) throw new IllegalArgumentException(data + ": eval needs labels on every example");
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(folder);
        int length = InferenceInputs.maxLength(maxLength, folder, InferenceInputs.UNRECORDED_MAX_LENGTH,
                classifier.config().maxPositionEmbeddings());
        var inputs = InferenceInputs.encode(tokenizer, d, length);
        float[][] probs;
        try (InferenceProgress progress = new InferenceProgress("eval", inputs.size(), spec.commandLine().getErr())) {
            probs = Predictor.probabilities(classifier, inputs, batchSize, PadToken.id(tokenizer, classifier.config()), progress);
        }
        MetricsReport report = MultiLabelMetrics.evaluate(probs, d.labelMatrix(), thresholds.values(), d.labelNames());
        if (json) {
            ObjectNode root = JSON.createObjectNode();
            root.put("thresholds_used", thresholds.description());
            root.setAll((ObjectNode) JSON.readTree(report.toJson()));
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            out.println("thresholds: " + thresholds.description());
            out.println(report.toText());
        }
        if (predictsEveryLabelForEveryExample(report)) {
            spec.commandLine().getErr().println("warning: these thresholds predict every label for every example"
                    + " (the trivial classifier); the scores above measure the data's label frequencies, not the model");
        }
        return ExitCode.OK;
    }

    private static boolean predictsEveryLabelForEveryExample(MetricsReport report) {
        if (report.numExamples() == 0 || report.perLabel().isEmpty()) return false;
        for (LabelScores label : report.perLabel()) {
            if (label.counts().predictedPositives() != report.numExamples()) return false;
        }
        return true;
    }
}
