package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.cli.report.TrainingPlots;
import io.elektron.model.io.AtomicFiles;
import io.elektron.model.metrics.PairedComparison;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The adversarial experiment's report from its finished cells: {@code results.json} (every cell with its options, and
 * the statistics), {@code report.md} (tables) and one PNG per metric. Rewritten after every finished cell, so an
 * experiment cut short still has a report of what it finished, saying which cells are missing.
 *
 * <p>Statistics per method and metric: mean and sample standard deviation over the finished seeds, the 95% t interval
 * of the mean, and the paired difference to {@code none} over the seeds both finished (same seed = same
 * initialisation and batch order) with its 95% t interval and two-sided paired t-test p ({@link PairedComparison}).
 */
final class ExperimentReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExperimentPlan plan;
    private final List<ExperimentCell> finished;

    ExperimentReport(ExperimentPlan plan, List<ExperimentCell> finished) {
        this.plan = plan;
        this.finished = List.copyOf(finished);
    }

    /** The scores of {@code method} for {@code metric}, in plan seed order, NaN where the seed has not finished. */
    private double[] bySeed(String method, ExperimentMetric metric) {
        double[] v = new double[plan.seeds().size()];
        Arrays.fill(v, Double.NaN);
        for (ExperimentCell c : finished) {
            if (c.method().equals(method)) v[plan.seeds().indexOf(c.seed())] = c.scores().get(metric);
        }
        return v;
    }

    private static double[] present(double[] v) {
        return Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
    }

    /** The paired difference of {@code method} to none over the seeds both have; null when they share none. */
    PairedComparison versusNone(String method, ExperimentMetric metric) {
        double[] a = bySeed(method, metric);
        double[] b = bySeed("none", metric);
        List<double[]> pairs = new ArrayList<>();
        for (int i = 0; i < a.length; i++) if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) pairs.add(new double[]{a[i], b[i]});
        if (pairs.isEmpty()) return null;
        return PairedComparison.of(pairs.stream().mapToDouble(p -> p[0]).toArray(), pairs.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** Mean, standard deviation and 95% interval of the mean; null when no seed finished. */
    PairedComparison meanInterval(String method, ExperimentMetric metric) {
        double[] v = present(bySeed(method, metric));
        if (v.length == 0) return null;
        // The t interval of a mean is the paired interval of the differences to zero.
        return PairedComparison.of(v, new double[v.length]);
    }

    List<ExperimentPlan.Cell> missing() {
        List<ExperimentPlan.Cell> out = new ArrayList<>();
        for (ExperimentPlan.Cell c : plan.cells()) {
            if (finished.stream().noneMatch(f -> f.method().equals(c.method()) && f.seed() == c.seed())) out.add(c);
        }
        return out;
    }

    ObjectNode resultsJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("experiment", plan.toJson());
        ArrayNode cells = root.putArray("cells");
        for (ExperimentCell c : finished) cells.add(c.toJson());
        ArrayNode missing = root.putArray("missing_cells");
        for (ExperimentPlan.Cell c : missing()) missing.add(c.folderName());
        ObjectNode summary = root.putObject("summary");
        for (String method : plan.methods()) {
            ObjectNode m = summary.putObject(method);
            for (ExperimentMetric metric : ExperimentMetric.values()) {
                PairedComparison mean = meanInterval(method, metric);
                if (mean == null) continue;
                ObjectNode s = m.putObject(metric.key);
                s.put("seeds", mean.n());
                s.put("mean", mean.meanDifference());
                s.put("sd", mean.sdDifference());
                s.putArray("ci95").add(mean.ciLow()).add(mean.ciHigh());
                PairedComparison d = method.equals("none") ? null : versusNone(method, metric);
                if (d != null) {
                    ObjectNode p = s.putObject("paired_difference_to_none");
                    p.put("seeds", d.n());
                    p.put("mean", d.meanDifference());
                    p.put("sd", d.sdDifference());
                    p.putArray("ci95").add(d.ciLow()).add(d.ciHigh());
                    p.put("p", d.pValue());
                }
            }
            ObjectNode cost = m.putObject("cost");
            double[] seconds = costs(method, true);
            if (seconds.length > 0) {
                cost.put("median_seconds_per_step", mean(seconds));
                cost.put("tokens_per_second", mean(costs(method, false)));
                cost.put("passes_per_step", finished.stream().filter(c -> c.method().equals(method))
                        .mapToDouble(c -> c.cost().passesPerStep()).average().orElse(Double.NaN));
            }
        }
        return root;
    }

    /** Per finished seed of {@code method}: steady-state seconds per step, or real tokens/s. */
    private double[] costs(String method, boolean secondsPerStep) {
        return finished.stream().filter(c -> c.method().equals(method))
                .mapToDouble(c -> secondsPerStep ? c.cost().medianSecondsPerStep() : c.cost().tokensPerSecond()).toArray();
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** The Markdown tables (also what the command prints). */
    String tables() {
        StringBuilder md = new StringBuilder();
        md.append("Test scores, mean \u00b1 standard deviation over seeds (n = seeds finished):\n\n| method | n |");
        for (ExperimentMetric m : ExperimentMetric.values()) md.append(' ').append(m.title).append(" |");
        md.append("\n|---|---|").append("---|".repeat(ExperimentMetric.values().length)).append('\n');
        for (String method : plan.methods()) {
            PairedComparison any = meanInterval(method, ExperimentMetric.MACRO_F1_AT_GLOBAL);
            md.append("| ").append(method).append(" | ").append(any == null ? 0 : any.n()).append(" |");
            for (ExperimentMetric m : ExperimentMetric.values()) {
                PairedComparison s = meanInterval(method, m);
                md.append(' ').append(s == null ? "-" : s.n() < 2 ? fmt("%.4f", s.meanDifference())
                        : fmt("%.4f \u00b1 %.4f", s.meanDifference(), s.sdDifference())).append(" |");
            }
            md.append('\n');
        }
        md.append("\nPaired difference to none (same seeds), mean [95% t interval] and paired t-test p:\n\n| method |");
        for (ExperimentMetric m : ExperimentMetric.values()) md.append(' ').append(m.title).append(" |");
        md.append("\n|---|").append("---|".repeat(ExperimentMetric.values().length)).append('\n');
        for (String method : plan.methods()) {
            if (method.equals("none")) continue;
            md.append("| ").append(method).append(" |");
            for (ExperimentMetric m : ExperimentMetric.values()) {
                PairedComparison d = versusNone(method, m);
                md.append(' ').append(d == null ? "-" : d.describe()).append(" |");
            }
            md.append('\n');
        }
        md.append("\nCost at steady state (median seconds per optimizer step, and the median step's real tokens per"
                + " second; the first fifth of the steps, at most 50, are left out as warm-up):\n\n"
                + "| method | passes / step | s / step | x none | real tokens / s |\n|---|---|---|---|---|\n");
        double base = mean(costs("none", true));
        for (String method : plan.methods()) {
            double[] s = costs(method, true);
            if (s.length == 0) {
                md.append("| ").append(method).append(" | - | - | - | - |\n");
                continue;
            }
            double passes = finished.stream().filter(c -> c.method().equals(method)).mapToDouble(c -> c.cost().passesPerStep())
                    .average().orElse(Double.NaN);
            md.append(fmt("| %s | %.1f | %.3f | %s | %.0f |%n", method, passes, mean(s),
                    Double.isNaN(base) ? "-" : fmt("x%.2f", mean(s) / base), mean(costs(method, false))));
        }
        List<String> trivial = finished.stream().filter(ExperimentCell::trivialGlobalThreshold)
                .map(c -> c.method() + "-seed" + c.seed()).toList();
        if (!trivial.isEmpty()) {
            md.append("\nWarning: in ").append(String.join(", ", trivial)).append(" the dev-tuned global threshold predicts"
                    + " every label for every test example (the trivial classifier); its @global scores are the label"
                    + " priors', not the method's.\n");
        }
        List<ExperimentPlan.Cell> missing = missing();
        if (!missing.isEmpty()) {
            md.append("\nNot finished yet: ").append(String.join(", ", missing.stream().map(ExperimentPlan.Cell::folderName).toList()))
                    .append(" (run the same command again to continue).\n");
        }
        return md.toString();
    }

    void write(Path folder) throws IOException {
        AtomicFiles.write(folder.resolve("results.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(resultsJson()));
        StringBuilder md = new StringBuilder("# Is adversarial training necessary? (elektron experiment adv)\n\n");
        md.append("Model `").append(plan.definition().path("model").asText()).append("`; ")
                .append(plan.methods().size()).append(" methods x ").append(plan.seeds().size())
                .append(" seeds; same seed = same initialisation and batch order for every method, so differences pair up."
                        + " Every cell's options are in results.json.\n\n");
        md.append(tables()).append('\n');
        for (ExperimentMetric m : ExperimentMetric.values()) md.append("![").append(m.title).append("](").append(m.plotFile()).append(")\n");
        AtomicFiles.write(folder.resolve("report.md"), md.toString().getBytes(StandardCharsets.UTF_8));
        for (ExperimentMetric m : ExperimentMetric.values()) plot(folder, m);
    }

    private void plot(Path folder, ExperimentMetric metric) throws IOException {
        List<String> methods = plan.methods();
        double[][] perSeed = new double[methods.size()][];
        double[] low = new double[methods.size()];
        double[] high = new double[methods.size()];
        for (int i = 0; i < methods.size(); i++) {
            perSeed[i] = present(bySeed(methods.get(i), metric));
            PairedComparison s = meanInterval(methods.get(i), metric);
            low[i] = s == null ? Double.NaN : s.ciLow();
            high[i] = s == null ? Double.NaN : s.ciHigh();
        }
        TrainingPlots.seedComparison(metric.title, methods, perSeed, low, high, folder.resolve(metric.plotFile()));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
