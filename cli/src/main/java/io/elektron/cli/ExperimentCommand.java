package io.elektron.cli;

import io.elektron.cli.report.TrainingPlots;
import io.elektron.model.data.Dataset;
import io.elektron.model.metrics.PairedComparison;
import io.elektron.model.train.EpochRecord;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * "Is adversarial training necessary?" as an experiment: every method x every seed, same data and budget, then mean
 * and standard deviation of test F1, the paired difference to plain training (same seed = same init, same batches),
 * and what each method cost in time.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "Experiments.",
        subcommands = {ExperimentCommand.Adv.class})
final class ExperimentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "adv", mixinStandardHelpOptions = true,
            description = "Compare adversarial methods over several seeds: mean +- std test F1, paired difference vs none, extra time.")
    static final class Adv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, description = "Pretrained HF folder or hub id.")
        String model;

        @Option(names = "--train", required = true)
        Path train;

        @Option(names = "--dev", required = true)
        Path dev;

        @Option(names = "--test", required = true)
        Path test;

        @Option(names = "--methods", defaultValue = "none,fgm", split = ",", description =
                "Methods to compare: none, fgm, fgm-miyato, pgd, freelb, random (the control for fgm: the same rows, "
                + "norm and cost, a random direction); none is always run. Default: ${DEFAULT-VALUE}.")
        List<String> methods;

        @Option(names = "--seeds", defaultValue = "3", description = "Seeds per method (1, 2, ...). Default: ${DEFAULT-VALUE}.")
        int seeds;

        @Option(names = "--limit", description = "Use only the first N training examples.")
        Integer limit;

        @Option(names = "--out", defaultValue = "runs/experiment-adv", description = "Folder of the runs and the report, new or empty (see --overwrite). Default: ${DEFAULT-VALUE}.")
        Path out;

        @Option(names = "--overwrite", description = "Replace the results of a previous experiment in --out (they are moved aside to <out>.previous-<time>, not deleted).")
        boolean overwrite;

        @Mixin
        TrainingFlags flags;

        @Mixin
        DataOptions data;

        @Mixin
        CommonOptions common;

        @Override
        public Integer call() throws Exception {
            common.apply();
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
            if (!methods.contains("none")) methods = prepend("none", methods);
            // A misspelt method would otherwise fail only when its turn comes, after hours of the others' training.
            for (String method : methods) flags.toOptions(method, flags.seed);
            PrintWriter pw = spec.commandLine().getOut();
            // Every method is checked before the first one trains for minutes.
            for (String method : methods) flags.toOptions(method, flags.seed);
            RunFolder runFolder = RunFolder.check(out, overwrite, null);
            Path folder = ModelSource.resolve(model);
            Dataset trainSet = data.readExamples(train, data.labelNames());
            if (limit != null) trainSet = Datasets.limit(trainSet, limit);
            Dataset devSet = data.readExamples(dev, trainSet.labelNames());
            Dataset testSet = data.readExamples(test, trainSet.labelNames());
            runFolder.prepareForNewRun(spec.commandLine().getErr());
            Map<String, double[][]> results = new LinkedHashMap<>(); // method -> [seed][micro, macro, microTuned, macroTuned, secondsPerEpoch]
            for (String method : methods) {
                double[][] rows = new double[seeds][];
                for (int s = 0; s < seeds; s++) {
                    long seed = flags.seed + s;
                    TrainingOptions options = flags.toOptions(method, seed);
                    Path runDir = out.resolve(method + "-seed" + seed);
                    pw.println("== " + method + ", seed " + seed + " ==");
                    Trainer.Result r;
                    try (TrainingProgress progress = new TrainingProgress(pw, false, "[" + method + " s" + seed + "] ",
                            ProgressDisplay.forThisProcess(spec.commandLine().getErr()))) {
                        r = new FineTuneJob(folder, null, folder, trainSet, devSet, testSet, options, runDir).run(progress, pw, null);
                    }
                    RunReport.write(runDir, r, options, pw);
                    rows[s] = new double[]{r.testAtHalf().micro().f1(), r.testAtHalf().macro().f1(),
                            r.testAtGlobal().micro().f1(), r.testAtGlobal().macro().f1(),
                            r.history().stream().mapToDouble(EpochRecord::seconds).average().orElse(0)};
                }
                results.put(method, rows);
            }
            String table = table(results);
            pw.println();
            pw.print(table);
            String md = "# Is adversarial training necessary? (elektron experiment adv)\n\n"
                    + "Model `" + model + "`, train `" + train + "` (" + trainSet.size() + " examples), test `" + test
                    + "`, " + seeds + " seed(s) per method, seeds " + flags.seed + ".." + (flags.seed + seeds - 1)
                    + ". Same seed = same initialisation and batch order for every method, so differences are paired.\n\n"
                    + "```\n" + table + "```\n\n![comparison](comparison.png)\n";
            RunReport.writeAtomically(out.resolve("report.md"), md.getBytes(StandardCharsets.UTF_8));
            plot(results);
            pw.println("report: " + out.resolve("report.md"));
            return ExitCode.OK;
        }

        private void plot(Map<String, double[][]> results) throws java.io.IOException {
            List<String> names = new ArrayList<>(results.keySet());
            double[] macroMean = new double[names.size()];
            double[] macroStd = new double[names.size()];
            double[] microMean = new double[names.size()];
            double[] microStd = new double[names.size()];
            for (int i = 0; i < names.size(); i++) {
                double[][] rows = results.get(names.get(i));
                macroMean[i] = mean(rows, 3);
                macroStd[i] = std(rows, 3);
                microMean[i] = mean(rows, 2);
                microStd[i] = std(rows, 2);
            }
            TrainingPlots.methodComparison(names, macroMean, macroStd, microMean, microStd, out.resolve("comparison.png"));
        }

        static String table(Map<String, double[][]> results) {
            double[][] base = results.get("none");
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("%-11s %-17s %-17s %-17s %-17s %-36s %-36s %s%n", "method", "micro-F1@0.5", "macro-F1@0.5",
                    "micro-F1@tuned", "macro-F1@tuned", "d micro@tuned vs none [95% CI] p", "d macro@tuned vs none [95% CI] p",
                    "time/epoch"));
            for (var e : results.entrySet()) {
                double[][] rows = e.getValue();
                double timeRatio = mean(rows, 4) / Math.max(1e-9, mean(base, 4));
                boolean baseline = e.getKey().equals("none");
                sb.append(String.format("%-11s %-17s %-17s %-17s %-17s %-36s %-36s %.0f s (x%.2f)%n", e.getKey(),
                        pm(rows, 0), pm(rows, 1), pm(rows, 2), pm(rows, 3),
                        baseline ? "-" : PairedComparison.of(column(rows, 2), column(base, 2)).describe(),
                        baseline ? "-" : PairedComparison.of(column(rows, 3), column(base, 3)).describe(),
                        mean(rows, 4), timeRatio));
            }
            sb.append("d: paired difference to none over the same seeds, 95% interval from the t distribution"
                    + " (n - 1 degrees of freedom), two-sided paired t-test p; +- is the standard deviation over seeds.\n");
            return sb.toString();
        }

        private static double[] column(double[][] rows, int col) {
            double[] out = new double[rows.length];
            for (int i = 0; i < rows.length; i++) out[i] = rows[i][col];
            return out;
        }

        private static String pm(double[][] rows, int col) {
            return String.format("%.4f +- %.4f", mean(rows, col), std(rows, col));
        }

        static double mean(double[][] rows, int col) {
            double s = 0;
            for (double[] r : rows) s += r[col];
            return s / rows.length;
        }

        /** Sample standard deviation (n - 1); 0 for one seed. */
        static double std(double[][] rows, int col) {
            if (rows.length < 2) return 0;
            double m = mean(rows, col);
            double s = 0;
            for (double[] r : rows) s += (r[col] - m) * (r[col] - m);
            return Math.sqrt(s / (rows.length - 1));
        }

        private static List<String> prepend(String first, List<String> rest) {
            List<String> out = new ArrayList<>();
            out.add(first);
            out.addAll(rest);
            return out;
        }
    }
}
