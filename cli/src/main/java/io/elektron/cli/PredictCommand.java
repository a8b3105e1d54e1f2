package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.Example;
import io.elektron.model.hf.HfModels;
import io.elektron.model.train.PadToken;
import io.elektron.model.train.Prediction;
import io.elektron.model.train.Predictor;
import io.elektron.model.train.TokenizedExample;
import io.elektron.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "predict", mixinStandardHelpOptions = true, description = "Predict labels for each input text.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Classifier folder or hub id.")
    String model;

    @Option(names = "--input", required = true, description = "Texts: .txt (one per line), .jsonl, .tsv, .csv.")
    Path input;

    @Option(names = "--max-length", description = "Truncate to this many tokens. Default: the length the model was fine-tuned with (training_args.json in the model folder), else 128.")
    Integer maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Inputs per forward pass (sorted by length, real tokens only; output stays in input order). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--json", description = "One JSON line per input: logits, probabilities, labels.")
    boolean json;

    @Option(names = "--skip-bad-lines", description = "Skip malformed input lines.")
    boolean skipBadLines;

    @Mixin
    ThresholdOptions thresholdOptions;

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
        List<String> labels = classifier.config().labelNames();
        float[] t = thresholdOptions.choose(folder, labels).values();
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(folder);
        Dataset d = InferenceInputs.read(input, labels, skipBadLines, spec.commandLine().getErr());
        int limit = InferenceInputs.maxLength(maxLength, folder, InferenceInputs.UNRECORDED_MAX_LENGTH,
                classifier.config().maxPositionEmbeddings());
        List<TokenizedExample> examples = InferenceInputs.encode(tokenizer, d, limit);
        float[][] logits;
        try (InferenceProgress progress = new InferenceProgress("predict", examples.size(), spec.commandLine().getErr())) {
            logits = Predictor.logits(classifier, examples, batchSize, PadToken.id(tokenizer, classifier.config()), progress);
        }
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < logits.length; i++) {
            float[] probs = new float[logits[i].length];
            for (int j = 0; j < probs.length; j++) probs[j] = (float) (1 / (1 + Math.exp(-logits[i][j])));
            if (this.json) {
                Example input = d.examples().get(i);
                ObjectNode n = json.createObjectNode();
                // Which input this is: its position among the inputs read (skipped lines are not counted, and are
                // reported on standard error), its id when the file has one, its text.
                n.put("index", i);
                if (input.id() != null) n.put("id", input.id());
                if (input.text() != null) n.put("text", input.text());
                ArrayNode names = n.putArray("labels");
                for (int j = 0; j < probs.length; j++) if (probs[j] >= t[j]) names.add(labels.get(j));
                // label -> probability, most probable first (JSON objects keep insertion order in every common parser).
                ObjectNode scores = n.putObject("scores");
                for (Prediction.LabelProbability s : Prediction.of(labels, probs, t).ranked()) scores.put(s.label(), s.probability());
                ArrayNode l = n.putArray("logits");
                for (float v : logits[i]) l.add(v);
                ArrayNode pr = n.putArray("probabilities");
                for (float v : probs) pr.add(v);
                out.println(json.writeValueAsString(n));
            } else {
                StringBuilder sb = new StringBuilder();
                for (int j = 0; j < probs.length; j++) {
                    if (probs[j] >= t[j]) sb.append(sb.length() == 0 ? "" : ", ").append(labels.get(j)).append(String.format(" (%.2f)", probs[j]));
                }
                String text = d.examples().get(i).text();
                out.println((text == null ? "#" + (i + 1) : abbreviate(text)) + "\t" + (sb.length() == 0 ? "-" : sb));
            }
        }
        return ExitCode.OK;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
