package io.elektron.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.elektron.cli.CliTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Training with its output redirected to files, as in a CI log or {@code > train.log 2>&1}: no progress-bar frames.
 * Run in a child JVM, because the progress-bar library writes to the process's file descriptor 2 directly, which no
 * in-process capture sees.
 */
class ProgressOutputTest {
    @Test
    void trainWithoutATerminalWritesNoCarriageReturnsAndEveryMessageOnItsOwnLine(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "child-process CLI tests need Linux; skipped here");
        Path errFile = dir.resolve("train.err");
        String out;
        try (TrainingProcess p = TrainingProcess.start(List.of("train", "--model", resource("tiny").toString(),
                "--train", resource("toy/train.tsv").toString(), "--dev", resource("toy/dev.tsv").toString(),
                "--epochs", "3", "--batch-size", "8", "--lr", "2e-3", "--adv", "fgm", "--max-length", "16",
                "--threads", "1", "--out", dir.resolve("run").toString()), errFile)) {
            assertEquals(ExitCode.OK, p.waitFor(), p.output() + p.errors());
            out = p.output();
        }
        String err = Files.readString(errFile);
        assertFalse(err.contains("\r"), "no carriage-return frames on standard error:\n" + err);
        for (int epoch = 1; epoch <= 3; epoch++) {
            String prefix = "epoch " + epoch + ": train loss";
            assertTrue(out.lines().anyMatch(l -> l.startsWith(prefix)), prefix + " starts a line:\n" + out);
        }
        assertTrue(out.lines().anyMatch(l -> l.startsWith("epoch 1: new best dev macro-F1")), out);
    }
}
