package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.cli.report.TrainingPlots;
import io.elektron.model.io.AtomicFiles;
import io.elektron.model.metrics.MetricsReport;
import io.elektron.model.train.EpochRecord;
import io.elektron.model.train.StepRecord;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The per-run report: metrics.json, report.md (per-label table) and PNG curves, each written atomically. */
final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReport() {
    }

    static ObjectNode summaryJson(Trainer.Result r, TrainingOptions o) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("adversarial", o.adversarial().describe());
        n.put("seed", o.seed());
        n.put("best_epoch", r.bestEpoch());
        n.put("global_threshold", r.globalThreshold().threshold());
        n.set("dev_at_0.5", JSON.readTree(r.devAtHalf().toJson()));
        if (r.testAtHalf() != null) {
            n.set("test_at_0.5", JSON.readTree(r.testAtHalf().toJson()));
            n.set("test_at_global_threshold", JSON.readTree(r.testAtGlobal().toJson()));
            n.set("test_at_per_label_thresholds", JSON.readTree(r.testAtPerLabel().toJson()));
        }
        double seconds = r.history().stream().mapToDouble(EpochRecord::seconds).sum();
        n.put("train_seconds", seconds);
        n.put("seconds_per_epoch", seconds / Math.max(1, r.history().size()));
        n.put("train_tokens_per_second", r.history().stream().mapToDouble(EpochRecord::tokensPerSecond).average().orElse(0));
        return n;
    }

    static void write(Path outDir, Trainer.Result r, TrainingOptions o, PrintWriter out) throws IOException {
        writeAtomically(outDir.resolve("metrics.json"), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(summaryJson(r, o)).getBytes(StandardCharsets.UTF_8));
        StringBuilder md = new StringBuilder("# Elektron training run\n\n");
        md.append("- adversarial: `").append(o.adversarial().describe()).append("`, seed ").append(o.seed())
                .append(", best epoch ").append(r.bestEpoch()).append("\n- global threshold tuned on dev: ")
                .append(String.format("%.2f", r.globalThreshold().threshold())).append("\n\n");
        md.append("![loss](loss.png)\n![f1](f1.png)\n\n");
        if (r.testAtHalf() != null) {
            md.append("## Test\n\n| thresholds | micro-F1 | macro-F1 | weighted-F1 | subset acc | Hamming loss |\n|---|---|---|---|---|---|\n");
            row(md, "0.5", r.testAtHalf());
            row(md, String.format("global %.2f (dev)", r.globalThreshold().threshold()), r.testAtGlobal());
            row(md, "per label (dev)", r.testAtPerLabel());
            md.append("\n## Per label (test, global threshold)\n\n```\n").append(r.testAtGlobal().toText()).append("\n```\n");
        }
        writeAtomically(outDir.resolve("report.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        plots(outDir, r);
        ModelCard.write(outDir, r, o);
        out.println("run folder: " + outDir + " (metrics.json, report.md, loss.png, f1.png, best/ checkpoint with its model card)");
    }

    private static void row(StringBuilder md, String name, MetricsReport m) {
        md.append(String.format("| %s | %.4f | %.4f | %.4f | %.4f | %.4f |%n", name, m.micro().f1(), m.macro().f1(),
                m.weighted().f1(), m.subsetAccuracy(), m.hammingLoss()));
    }

    static void plots(Path outDir, Trainer.Result r) throws IOException {
        List<double[]> points = new ArrayList<>();
        for (StepRecord s : r.steps()) points.add(new double[]{s.step(), s.loss(), s.adversarialLoss()});
        TrainingPlots.lossCurve(points, outDir.resolve("loss.png"));
        int n = r.history().size();
        int[] epochs = new int[n];
        double[] micro = new double[n];
        double[] macro = new double[n];
        for (int i = 0; i < n; i++) {
            EpochRecord e = r.history().get(i);
            epochs[i] = e.epoch();
            micro[i] = e.devAtHalf().micro().f1();
            macro[i] = e.devTuned().macro().f1();
        }
        TrainingPlots.f1Curves(epochs, micro, macro, outDir.resolve("f1.png"));
    }

    static void printSummary(PrintWriter out, Trainer.Result r) {
        if (r.testAtHalf() == null) {
            out.printf("dev: micro-F1 %.4f macro-F1 %.4f at 0.5%n", r.devAtHalf().micro().f1(), r.devAtHalf().macro().f1());
            return;
        }
        out.println("test results (best epoch " + r.bestEpoch() + "):");
        out.printf("  threshold 0.5:              micro-F1 %.4f  macro-F1 %.4f%n", r.testAtHalf().micro().f1(), r.testAtHalf().macro().f1());
        out.printf("  global threshold %.2f (dev): micro-F1 %.4f  macro-F1 %.4f%n", r.globalThreshold().threshold(),
                r.testAtGlobal().micro().f1(), r.testAtGlobal().macro().f1());
        out.printf("  per-label thresholds (dev): micro-F1 %.4f  macro-F1 %.4f%n", r.testAtPerLabel().micro().f1(), r.testAtPerLabel().macro().f1());
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        AtomicFiles.write(file, bytes);
    }
}
