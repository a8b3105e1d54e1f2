package io.elektron.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.elektron.cli.CliTestSupport.resource;
import static io.elektron.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values that cannot work are refused up front with one line naming the option (or the file), not deep inside a run. */
class OptionValidationTest {
    private static final String MODEL = resource("tiny").toString();
    private static final String TEXTS = resource("tiny-texts.jsonl").toString();

    private static void assertUsageError(CliTestSupport.Run r, String option) {
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: " + option), r.err());
    }

    @Test
    void batchSizesBelowOneAreUsageErrors(@TempDir Path dir) {
        for (String size : List.of("0", "-1")) {
            assertUsageError(run("predict", "--model", MODEL, "--input", TEXTS, "--batch-size", size), "--batch-size");
            assertUsageError(run("eval", "--model", MODEL, "--data", resource("toy/test.tsv").toString(), "--batch-size", size),
                    "--batch-size");
            assertUsageError(run("train", "--model", MODEL, "--train", resource("toy/train.tsv").toString(), "--dev",
                    resource("toy/dev.tsv").toString(), "--batch-size", size, "--out", dir.resolve("run").toString()), "--batch-size");
        }
    }

    @Test
    void aDeviceWithoutABackendIsAOneLineUsageErrorAndCpuAndAutoRun() {
        for (String device : List.of("cuda", "cuda:1")) {
            CliTestSupport.Run r = run("predict", "--model", MODEL, "--input", TEXTS, "--device", device);
            assertUsageError(r, "--device " + device + ": no cuda backend is installed (this build has: cpu");
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        assertUsageError(run("predict", "--model", MODEL, "--input", TEXTS, "--device", "cpu:2"), "--device cpu:2: this machine has 1 cpu device");
        assertUsageError(run("predict", "--model", MODEL, "--input", TEXTS, "--device", "gpu!"), "--device gpu!: unknown device 'gpu!'");
        for (String device : List.of("cpu", "auto", "CPU")) {
            CliTestSupport.Run fine = run("predict", "--model", MODEL, "--input", TEXTS, "--device", device);
            assertEquals(ExitCode.OK, fine.exitCode(), device + ": " + fine.err());
        }
    }

    @Test
    void aMistypedOptionOrCommandIsAShortErrorWithAPointerToTheHelpNotTheWholeUsage() {
        CliTestSupport.Run r = run("predict", "--model", MODEL, "--input", TEXTS, "--treshold", "0.3");
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: Unknown options: '--treshold'"), r.err());
        assertTrue(r.err().contains("(see: elektron predict --help)"), r.err());
        assertFalse(r.err().contains("Usage:"), r.err());
        CliTestSupport.Run typo = run("experiment", "avd");
        assertEquals(ExitCode.USAGE, typo.exitCode(), typo.err());
        assertTrue(typo.err().contains("(see: elektron experiment --help)"), typo.err());
    }

    @Test
    void quickstartJsonIsOneDocumentOnStandardOutput(@TempDir Path dir) throws Exception {
        CliTestSupport.Run r = run("quickstart", "--model", "random", "--epochs", "1", "--limit", "16", "--methods", "none",
                "--json", "--out", dir.resolve("qs").toString());
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertTrue(doc.path("methods").path("none").has("test_at_0.5"), r.out());
        // Predicting every label on the bundled 300-example test set, computed independently from its label counts:
        // macro = mean over labels of 2p / (1 + p), micro = 2P / (1 + P) with P the share of positive cells.
        assertEquals(0.0740330503870469, doc.path("predict_every_label_baseline").path("test_macro_f1").asDouble(), 1e-12);
        assertEquals(0.08043875685557586, doc.path("predict_every_label_baseline").path("test_micro_f1").asDouble(), 1e-12);
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.err().contains("== none =="), "the log went to standard error");
    }

    @Test
    void thresholdsOutsideZeroToOneAreUsageErrors() {
        for (String threshold : List.of("2", "1", "0", "-0.5", "NaN")) {
            assertUsageError(run("predict", "--model", MODEL, "--input", TEXTS, "--threshold", threshold), "--threshold");
        }
        CliTestSupport.Run fine = run("predict", "--model", MODEL, "--input", TEXTS, "--threshold", "0.3");
        assertEquals(ExitCode.OK, fine.exitCode(), fine.err());
    }

    @Test
    void aConfigOfAnotherArchitectureIsRefusedNotLoadedAsElectra(@TempDir Path dir) throws Exception {
        for (String type : List.of("gpt2", "roberta")) {
            Path folder = Files.createDirectories(dir.resolve(type));
            try (Stream<Path> files = Files.list(resource("tiny"))) {
                for (Path f : files.toList()) Files.copy(f, folder.resolve(f.getFileName()));
            }
            Path config = folder.resolve("config.json");
            Files.writeString(config, Files.readString(config).replace("\"model_type\": \"electra\"", "\"model_type\": \"" + type + "\""));
            CliTestSupport.Run r = run("predict", "--model", folder.toString(), "--input", TEXTS);
            assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err() + r.out());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("config.json") && r.err().contains("model_type '" + type + "'"), r.err());
        }
    }
}
