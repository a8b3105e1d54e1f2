package io.elektron.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.elektron.cli.CliTestSupport.resource;
import static io.elektron.cli.CliTestSupport.run;
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
        assertTrue(report.lines().anyMatch(l -> l.startsWith("none ")), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("random ")), report);
        // Each cell's run folder has its per-step record; the control perturbed every step.
        List<String> steps = Files.readAllLines(out.resolve("random-seed42/steps.csv"));
        assertEquals(1 + 6, steps.size(), "header + 48 examples / batch 8 = 6 steps");
        int normColumn = List.of(steps.get(0).split(",")).indexOf("perturbation_norm");
        for (String line : steps.subList(1, steps.size())) {
            assertEquals(1.0, Double.parseDouble(line.split(",")[normColumn]), 1e-5, "random at FGM's default eps: " + line);
        }
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
