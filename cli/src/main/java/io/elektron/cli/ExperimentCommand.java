package io.elektron.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.model.data.Dataset;
import io.elektron.model.io.FolderSwap;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingInterruptedException;
import io.elektron.model.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * "Is adversarial training necessary?" as an experiment: every method x every seed, same data and budget, then mean
 * and standard deviation of the test scores, the paired difference to plain training (same seed = same init, same
 * batches) with a 95% interval, and what each method costs per step once warmed up.
 *
 * <p>Hours of training on a laptop: the experiment survives being stopped. Each (method, seed) cell trains in its own
 * run folder, saving a resumable checkpoint every {@code --save-steps} steps; the same command started again skips
 * finished cells and resumes the unfinished one. The report is rewritten after every finished cell.
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
            description = "Compare adversarial methods over several seeds: mean +- std of test F1 and ROC-AUC, the paired"
                    + " difference to none with a 95% interval, the cost per step. Resumable: run the same command again.")
    static final class Adv implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, description = "Pretrained HF folder, hub id, or Maven model (maven:GROUP:ARTIFACT:VERSION, all-minilm-l6-v2).")
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

        @Option(names = "--out", defaultValue = "runs/experiment-adv", description = "Folder of the runs and the report. A"
                + " new or empty folder starts the experiment; the same command again continues it (finished cells are"
                + " kept). Default: ${DEFAULT-VALUE}.")
        Path out;

        @Option(names = "--overwrite", description = "Replace the results of a previous experiment in --out (they are moved aside to <out>.previous-<time>, not deleted).")
        boolean overwrite;

        @Option(names = "--json", description = "Print results.json (every cell and the statistics) on standard output;"
                + " progress and tables go to standard error.")
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
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
            List<String> methodList = new ArrayList<>(new LinkedHashSet<>(prepend("none", methods)));
            // A misspelt method would otherwise fail only when its turn comes, after hours of the others' training.
            for (String method : methodList) flags.toOptions(method, flags.seed);
            int checkpointSteps = flags.checkpointSteps();
            PrintWriter err = spec.commandLine().getErr();
            // With --json, standard output carries exactly one JSON document; everything meant for people goes to stderr.
            PrintWriter pw = json ? err : spec.commandLine().getOut();
            Path folder = ModelSource.resolve(model);
            Dataset trainSet = data.readExamples(train, data.labelNames());
            if (limit != null) trainSet = Datasets.limit(trainSet, limit);
            Dataset devSet = data.readExamples(dev, trainSet.labelNames());
            Dataset testSet = data.readExamples(test, trainSet.labelNames());
            List<Long> seedList = new ArrayList<>();
            for (int s = 0; s < seeds; s++) seedList.add(flags.seed + s);
            ExperimentPlan plan = ExperimentPlan.of(folder.toAbsolutePath().normalize().toString(), List.of(
                            new ExperimentPlan.DataFile("train", train, trainSet.size()),
                            new ExperimentPlan.DataFile("dev", dev, devSet.size()),
                            new ExperimentPlan.DataFile("test", test, testSet.size())),
                    limit, flags.toOptions("none", flags.seed), methodList, seedList, methodSettings(methodList));
            prepareFolder(plan, err);

            List<ExperimentCell> finished = new ArrayList<>();
            List<ExperimentPlan.Cell> cells = plan.cells();
            for (int i = 0; i < cells.size(); i++) {
                ExperimentPlan.Cell cell = cells.get(i);
                Path runDir = out.resolve(cell.folderName());
                String title = "== " + cell.method() + ", seed " + cell.seed() + " (" + (i + 1) + " of " + cells.size() + ") ==";
                ExperimentCell done = ExperimentCell.read(runDir);
                if (done != null) {
                    pw.println(title + " finished earlier: " + runDir.resolve(ExperimentCell.FILE));
                    finished.add(done);
                    continue;
                }
                pw.println(title);
                finished.add(runCell(cell, runDir, folder, trainSet, devSet, testSet, checkpointSteps, pw, err));
                // After every cell: a report of what is finished so far, saying what is not.
                new ExperimentReport(plan, finished).write(out);
            }
            ExperimentReport report = new ExperimentReport(plan, finished);
            report.write(out);
            pw.println();
            pw.print(report.tables());
            pw.println("report: " + out.resolve("report.md") + " (results.json, one PNG per metric)");
            if (json) spec.commandLine().getOut().println(report.resultsJson().toString());
            return ExitCode.OK;
        }

        /** Each method's adversarial settings as the cells will train with them. */
        private java.util.Map<String, String> methodSettings(List<String> methodList) {
            java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
            for (String m : methodList) settings.put(m, flags.toOptions(m, flags.seed).adversarial().describe());
            return settings;
        }

        /**
         * A new experiment gets an empty folder (see {@link RunFolder}); the same experiment started again continues in
         * its folder; another experiment's folder is refused, naming the settings that differ.
         */
        private void prepareFolder(ExperimentPlan plan, PrintWriter err) throws java.io.IOException {
            ObjectNode stored = overwrite ? null : ExperimentPlan.storedDefinition(out);
            if (stored == null) {
                RunFolder.check(out, overwrite, null).prepareForNewRun(err);
            } else {
                List<String> differences = plan.differencesFrom(stored);
                if (!differences.isEmpty()) {
                    throw new IllegalArgumentException(out + " holds an experiment with other settings: "
                            + String.join("; ", differences) + ". Give the same options to continue it (methods and seeds"
                            + " may be added), --overwrite to replace it, or another --out");
                }
                err.println("continuing the experiment in " + out + ": finished cells are kept, an unfinished one resumes"
                        + " from its last checkpoint");
                err.flush();
            }
            Files.createDirectories(out);
            plan.write(out);
        }

        private ExperimentCell runCell(ExperimentPlan.Cell cell, Path runDir, Path modelFolder, Dataset trainSet,
                                       Dataset devSet, Dataset testSet, int checkpointSteps, PrintWriter pw,
                                       PrintWriter err) throws java.io.IOException {
            TrainingOptions options = flags.toOptions(cell.method(), cell.seed());
            // A cell killed after its first checkpoint continues from it; one killed earlier starts again.
            Path last = runDir.resolve("last");
            FolderSwap.recover(last);
            Path resumeFrom = Files.isDirectory(last) ? last : null;
            Trainer.Result r;
            try (TrainingProgress progress = new TrainingProgress(pw, false, "[" + cell.method() + " s" + cell.seed() + "] ",
                    ProgressDisplay.forThisProcess(err))) {
                RunRecord record = RunRecord.of("experiment adv", modelFolder, java.util.Map.of("train", train, "dev", dev,
                        "test", test), limit, options);
                r = new FineTuneJob(modelFolder, null, modelFolder, trainSet, devSet, testSet, options, runDir, checkpointSteps,
                        record).run(progress, pw, resumeFrom);
            } catch (TrainingInterruptedException e) {
                throw new TrainingInterruptedException(e.checkpoint(), "interrupted; " + cell.folderName()
                        + " saved a resumable checkpoint (run the same experiment command again to continue it)");
            }
            RunReport.write(runDir, r, options, pw);
            ExperimentCell done = ExperimentCell.of(cell.method(), r, options);
            done.write(runDir);
            return done;
        }

        private static List<String> prepend(String first, List<String> rest) {
            List<String> out = new ArrayList<>();
            out.add(first);
            out.addAll(rest);
            return out;
        }
    }
}
