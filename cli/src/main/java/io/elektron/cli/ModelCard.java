package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elektron.model.io.AtomicFiles;
import io.elektron.model.metrics.MetricsReport;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The README.md that travels with a fine-tuned checkpoint ({@code best/}), as on the HF hub: what it was trained
 * from and on, how it scores, which thresholds to use, what it is for and what it is not for. Whoever receives the
 * folder learns this without the run folder beside it.
 */
final class ModelCard {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelCard() {
    }

    static void write(Path runDir, Trainer.Result r, TrainingOptions o) throws IOException {
        Path best = r.bestCheckpoint();
        JsonNode run = Files.isRegularFile(runDir.resolve(RunRecord.FILE)) ? JSON.readTree(runDir.resolve(RunRecord.FILE).toFile())
                : JSON.createObjectNode();
        List<String> labels = r.devAtHalf().labelNames();
        StringBuilder md = new StringBuilder();
        md.append("---\nlibrary_name: elektron\npipeline_tag: text-classification\ntags:\n- multi-label-classification\n");
        if (!o.adversarial().name().equals("none")) md.append("- adversarial-training\n");
        md.append("---\n\n# Multi-label text classifier (").append(labels.size()).append(" labels)\n\n");
        md.append("Fine-tuned with Elektron from `").append(run.path("model").asText("(unknown)")).append("`.\n\n");
        md.append("## Training\n\n");
        md.append("- data: ");
        JsonNode data = run.path("data");
        if (data.isObject() && data.size() > 0) {
            var names = data.fieldNames();
            boolean first = true;
            while (names.hasNext()) {
                String split = names.next();
                if (!data.get(split).isObject()) continue;
                md.append(first ? "" : ", ").append(split).append(" `").append(data.get(split).path("path").asText())
                        .append("` (sha256 ").append(data.get(split).path("sha256").asText().substring(0, 12)).append("...)");
                first = false;
            }
        } else {
            md.append("(not recorded)");
        }
        md.append("\n- ").append(o.epochs()).append(" epochs (best: ").append(r.bestEpoch()).append("), batch ")
                .append(o.batchSize()).append(", peak learning rate ").append(o.learningRate()).append(", max length ")
                .append(o.maxLength()).append(", seed ").append(o.seed()).append(", adversarial training: ")
                .append(o.adversarial().describe()).append("\n- every option: `run.json` in the run folder\n\n");
        md.append("## Scores\n\n| set | thresholds | micro-F1 | macro-F1 |\n|---|---|---|---|\n");
        row(md, "dev", "0.5", r.devAtHalf());
        if (r.testAtHalf() != null) {
            row(md, "test", "0.5", r.testAtHalf());
            row(md, "test", String.format(Locale.ROOT, "global %.2f (tuned on dev)", r.globalThreshold().threshold()), r.testAtGlobal());
            row(md, "test", "per label (tuned on dev)", r.testAtPerLabel());
        }
        md.append("\n## Use\n\n");
        md.append("Labels: ").append(String.join(", ", labels)).append(".\n\n");
        md.append("`thresholds.json` holds the decision thresholds tuned on dev: `global` (one for every label) and"
                + " `per_label`. `elektron predict --model <this folder> --input texts.txt [--thresholds per-label]`"
                + " applies them; `elektron eval` scores a labelled file.\n\n");
        md.append("Intended for classifying text like the training data. Not evaluated on other domains or languages;"
                + " the scores above are from one run (one seed) and carry its noise.\n");
        AtomicFiles.write(best.resolve("README.md"), md.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void row(StringBuilder md, String set, String thresholds, MetricsReport m) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f |%n", set, thresholds, m.micro().f1(), m.macro().f1()));
    }
}
