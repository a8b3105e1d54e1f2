package io.elektron.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.elektron.cli.CliTestSupport.resource;
import static io.elektron.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code experiment adv} on the tiny fixture and the toy data. */
class ExperimentCommandTest {
    private static String[] experiment(Path out, String methods) {
        return new String[]{"experiment", "adv", "--model", resource("tiny").toString(),
                "--train", resource("toy/train.tsv").toString(), "--dev", resource("toy/dev.tsv").toString(),
                "--test", resource("toy/test.tsv").toString(), "--epochs", "1", "--batch-size", "8", "--lr", "2e-3",
                "--seeds", "1", "--methods", methods, "--out", out.toString()};
    }

    @Test
    void runsTheRandomControlBesidePlainTraining(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("exp");
        CliTestSupport.Run r = run(experiment(out, "random"));
        assertEquals(0, r.exitCode(), r.err() + r.out());
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.lines().anyMatch(l -> l.startsWith("| none | 1 |")), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("| random | 1 |")), report);
        for (ExperimentMetric m : ExperimentMetric.values()) assertTrue(Files.size(out.resolve(m.plotFile())) > 0, m.plotFile());
        // Each cell's run folder has its per-step record; the control perturbed every step.
        List<String> steps = Files.readAllLines(out.resolve("random-seed42/steps.csv"));
        assertEquals(1 + 6, steps.size(), "header + 48 examples / batch 8 = 6 steps");
        int normColumn = List.of(steps.get(0).split(",")).indexOf("perturbation_norm");
        for (String line : steps.subList(1, steps.size())) {
            assertEquals(1.0, Double.parseDouble(line.split(",")[normColumn]), 1e-5, "random at FGM's default eps: " + line);
        }
    }

    @Test
    void theSameCommandAgainContinuesTheExperimentAndOtherSettingsAreRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("exp");
        CliTestSupport.Run first = run(experiment(out, "fgm"));
        assertEquals(0, first.exitCode(), first.err() + first.out());
        byte[] cellBefore = Files.readAllBytes(out.resolve("fgm-seed42/cell.json"));

        // Everything finished: nothing trains again, the cells' records are read back.
        CliTestSupport.Run again = run(experiment(out, "fgm"));
        assertEquals(0, again.exitCode(), again.err() + again.out());
        assertTrue(again.out().contains("none, seed 42 (1 of 2) == finished earlier"), again.out());
        assertTrue(again.out().contains("fgm, seed 42 (2 of 2) == finished earlier"), again.out());
        assertFalse(again.out().contains("epoch 1:"), "nothing trained: " + again.out());
        assertArrayEquals(cellBefore, Files.readAllBytes(out.resolve("fgm-seed42/cell.json")));

        // Another learning rate is another experiment: refused, naming the setting, before anything is written.
        String[] otherLr = experiment(out, "fgm");
        otherLr[java.util.Arrays.asList(otherLr).indexOf("2e-3")] = "1e-3";
        CliTestSupport.Run refused = run(otherLr);
        assertEquals(ExitCode.USAGE, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("training.learningRate"), refused.err());

        // Another eps for a method the experiment already ran: refused too, naming the method.
        String[] otherEps = java.util.stream.Stream.concat(java.util.Arrays.stream(experiment(out, "fgm")),
                java.util.stream.Stream.of("--adv-eps", "0.5")).toArray(String[]::new);
        CliTestSupport.Run refusedEps = run(otherEps);
        assertEquals(ExitCode.USAGE, refusedEps.exitCode(), refusedEps.err());
        assertTrue(refusedEps.err().contains("method fgm (was fgm (eps 1.0), now fgm (eps 0.5))"), refusedEps.err());

        // A second seed: only its cells train, and the report pairs both seeds.
        String[] twoSeeds = experiment(out, "fgm");
        twoSeeds[java.util.Arrays.asList(twoSeeds).indexOf("--seeds") + 1] = "2";
        CliTestSupport.Run more = run(twoSeeds);
        assertEquals(0, more.exitCode(), more.err() + more.out());
        assertTrue(more.out().contains("fgm, seed 42 (2 of 4) == finished earlier"), more.out());
        assertTrue(more.out().contains("[fgm s43] epoch 1:"), more.out());
        var results = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(4, results.path("cells").size());
        assertEquals(2, results.path("summary").path("fgm").path("macro_f1@global").path("paired_difference_to_none").path("seeds").asInt());
    }

    @Test
    void jsonPutsResultsOnStandardOutputAndNothingElse(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("exp");
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(experiment(out, "fgm")), java.util.stream.Stream.of("--json"))
                .toArray(String[]::new);
        CliTestSupport.Run r = run(args);
        assertEquals(0, r.exitCode(), r.err());
        var printed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        var written = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(written, printed, "the document on stdout is results.json");
        assertTrue(r.err().contains("Paired difference to none"), "the tables went to standard error");
    }

    @Test
    void anUnknownMethodIsRefusedBeforeAnyTraining(@TempDir Path dir) {
        Path out = dir.resolve("exp");
        CliTestSupport.Run r = run(experiment(out, "fgm,fgsm-on-ids"));
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("fgsm-on-ids"), r.err());
        assertTrue(r.err().contains("random"), "the message lists the methods there are: " + r.err());
        assertFalse(Files.exists(out.resolve("none-seed42")), "nothing was trained first");
    }
}
