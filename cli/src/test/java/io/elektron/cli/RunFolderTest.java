package io.elektron.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.elektron.cli.CliTestSupport.resource;
import static io.elektron.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run folder holding a previous run's results is never written over without being asked to. */
class RunFolderTest {

    private static List<String> trainArgs(Path out, Path trainFile, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--model", resource("tiny").toString(),
                "--train", trainFile.toString(), "--dev", resource("toy/dev.tsv").toString(),
                "--labels", resource("toy/labels.txt").toString(), "--epochs", "1", "--batch-size", "8",
                "--lr", "2e-3", "--max-length", "16", "--threads", "1", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private static CliTestSupport.Run train(Path out, String... extra) {
        return run(trainArgs(out, resource("toy/train.tsv"), extra).toArray(String[]::new));
    }

    @Test
    void aSecondTrainIntoTheSameFolderIsRefusedAndLeavesTheFirstRunsModelAlone(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliTestSupport.Run first = train(out);
        assertEquals(ExitCode.OK, first.exitCode(), first.err() + first.out());
        byte[] model = Files.readAllBytes(out.resolve("best/model.safetensors"));

        CliTestSupport.Run second = train(out, "--seed", "7");
        assertEquals(ExitCode.USAGE, second.exitCode(), second.err());
        String message = second.err().strip();
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertTrue(message.contains(out.toString()) && message.contains("--overwrite")
                && message.contains("--resume " + out.resolve("last")), message);
        assertArrayEquals(model, Files.readAllBytes(out.resolve("best/model.safetensors")), "the first run's model is untouched");
    }

    @Test
    void overwriteMovesThePreviousRunAsideAndKeepsItsModel(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        assertEquals(ExitCode.OK, train(out).exitCode());
        byte[] firstModel = Files.readAllBytes(out.resolve("best/model.safetensors"));

        CliTestSupport.Run replaced = train(out, "--overwrite", "--seed", "7");
        assertEquals(ExitCode.OK, replaced.exitCode(), replaced.err() + replaced.out());
        List<Path> aside = siblingsNamed(dir, "run.previous-");
        assertEquals(1, aside.size(), "one set-aside folder: " + aside);
        assertTrue(replaced.err().contains(aside.get(0).toString()), "says where the previous run went: " + replaced.err());
        assertArrayEquals(firstModel, Files.readAllBytes(aside.get(0).resolve("best/model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("best/model.safetensors")), "the new run has its own model");
        assertTrue(Files.isRegularFile(out.resolve("metrics.json")));
    }

    @Test
    void anEmptyTrainingFileIsABadInputNamingTheFileAndTouchesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        assertEquals(ExitCode.OK, train(out).exitCode());
        byte[] model = Files.readAllBytes(out.resolve("best/model.safetensors"));
        Path empty = Files.createFile(dir.resolve("empty.tsv"));

        CliTestSupport.Run r = run(trainArgs(out, empty, "--overwrite").toArray(String[]::new));
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err() + r.out());
        assertTrue(r.err().contains(empty.toString()) && r.err().contains("no examples"), r.err());
        assertArrayEquals(model, Files.readAllBytes(out.resolve("best/model.safetensors")), "the previous run stays in place");
        assertEquals(List.of(), siblingsNamed(dir, "run.previous-"), "nothing was moved aside for a run that never started");

        CliTestSupport.Run fresh = run(trainArgs(dir.resolve("fresh"), empty).toArray(String[]::new));
        assertEquals(ExitCode.BAD_INPUT, fresh.exitCode(), fresh.err());
        assertFalse(Files.exists(dir.resolve("fresh/best")), "no model saved from no examples");
    }

    @Test
    void everyRunRecordsItsSettingsAndDataAndAResumeWithOtherSettingsIsRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliTestSupport.Run first = train(out);
        assertEquals(ExitCode.OK, first.exitCode(), first.err() + first.out());
        var record = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals("train", record.path("command").asText());
        // The SHA-256 of the toy training file, computed independently (sha256sum).
        assertEquals("efd513b39b2f6f3a8d63d53f5d878d697864a74031811c92cf2d226936df8826",
                record.path("data").path("train").path("sha256").asText());
        assertEquals(resource("toy/train.tsv").toAbsolutePath().normalize().toString(),
                record.path("data").path("train").path("path").asText());
        assertTrue(record.path("options").path("learningRate").isNumber(), record.toString());
        assertTrue(record.path("environment").path("backend").asText().startsWith("cpu"), record.toString());
        assertTrue(record.has("started") && record.has("finished"), record.toString());
        // The checkpoint carries its model card.
        String card = Files.readString(out.resolve("best/README.md"));
        assertTrue(card.contains("Fine-tuned with Elektron from `" + resource("tiny").toAbsolutePath().normalize() + "`"), card);
        assertTrue(card.contains("efd513b39b2f") && card.contains("thresholds.json"), card);

        CliTestSupport.Run otherDecay = train(out, "--resume", out.resolve("last").toString(), "--weight-decay", "0.1");
        assertEquals(ExitCode.USAGE, otherDecay.exitCode(), otherDecay.err());
        assertTrue(otherDecay.err().contains("options.weightDecay was 0.01"), otherDecay.err());
    }

    @Test
    void trainJsonPutsExactlyOneJsonDocumentOnStandardOutput(@TempDir Path dir) throws Exception {
        CliTestSupport.Run r = train(dir.resolve("run"), "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        var parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(1, parsed.path("best_epoch").asInt(), r.out());
        assertEquals(1, r.out().strip().lines().count(), "one line of JSON, nothing else: " + r.out());
        assertTrue(r.err().contains("epoch 1: train loss"), "the log went to standard error: " + r.err());
    }

    @Test
    void resumeAndOverwriteExcludeEachOther(@TempDir Path dir) {
        Path out = dir.resolve("run");
        CliTestSupport.Run r = train(out, "--overwrite", "--resume", out.resolve("last").toString());
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("--overwrite") && r.err().contains("--resume"), r.err());
    }

    @Test
    void everyCommandThatWritesARunFolderRefusesAUsedOne(@TempDir Path dir) throws Exception {
        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "someone's work\n");
        List<List<String>> commands = List.of(
                List.of("quickstart", "--epochs", "1", "--limit", "8", "--out", used.toString()),
                List.of("experiment", "adv", "--model", resource("tiny").toString(), "--train", resource("toy/train.tsv").toString(),
                        "--dev", resource("toy/dev.tsv").toString(), "--test", resource("toy/test.tsv").toString(),
                        "--seeds", "1", "--epochs", "1", "--out", used.toString()),
                List.of("pretrain", "--corpus", resource("toy/train.tsv").toString(), "--steps", "1", "--out", used.toString()));
        for (List<String> command : commands) {
            CliTestSupport.Run r = run(command.toArray(String[]::new));
            assertEquals(ExitCode.USAGE, r.exitCode(), command.get(0) + ": " + r.err() + r.out());
            assertTrue(r.err().contains(used.toString()) && r.err().contains("--overwrite"), command.get(0) + ": " + r.err());
            try (Stream<Path> s = Files.list(used)) {
                assertEquals(List.of("notes.txt"), s.map(p -> p.getFileName().toString()).toList(), command.get(0));
            }
        }
    }

    private static List<Path> siblingsNamed(Path dir, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }
}
