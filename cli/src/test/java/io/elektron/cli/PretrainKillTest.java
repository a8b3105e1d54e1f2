package io.elektron.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kills {@code elektron pretrain} (a child JVM: tiny ELECTRA, 120 comments, 24 steps, a checkpoint every 2 steps) at
 * random moments with SIGKILL, continues it from its last checkpoint each time (or starts it again when none was
 * written yet), and checks that the finished run equals an uninterrupted one: every step's losses and discriminator
 * scores (steps.csv without its tokens/s column, which is wall-clock), and the final discriminator's weights.
 */
class PretrainKillTest {
    private static final int KILLS = 4;

    @TempDir
    static Path work;
    private static Path corpus;
    private static Path reference;
    private static long referenceNanos;

    static List<String> args(Path out) {
        return new ArrayList<>(List.of("pretrain", "--corpus", corpus.toString(), "--config", "tiny", "--steps", "24",
                "--batch-size", "4", "--max-length", "32", "--checkpoint-every", "2", "--held-out", "0", "--seed", "3",
                "--threads", "1", "--json", "--out", out.toString()));
    }

    @BeforeAll
    static void uninterrupted() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "kill tests need Linux (SIGKILL via destroyForcibly); skipped here");
        List<String> lines = new ArrayList<>();
        try (var in = Objects.requireNonNull(PretrainKillTest.class.getResourceAsStream("/io/elektron/model/sample/goemotions-sample/train.tsv"));
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null && lines.size() < 120; line = r.readLine()) lines.add(line.split("\t")[0]);
        }
        corpus = Files.write(work.resolve("corpus.txt"), lines, StandardCharsets.UTF_8);
        reference = work.resolve("reference");
        long t0 = System.nanoTime();
        try (TrainingProcess p = TrainingProcess.start(args(reference), work.resolve("reference.err"))) {
            assertEquals(0, p.waitFor(), p.output() + p.errors());
        }
        referenceNanos = System.nanoTime() - t0;
    }

    @Test
    void aPretrainingRunKilledAtRandomMomentsAndContinuedEndsWhereAnUninterruptedOneEnds() throws Exception {
        Path run = work.resolve("killed");
        Random random = new Random(20261205L);
        for (int kill = 0; kill < KILLS; kill++) {
            List<String> a = args(run);
            if (Files.isDirectory(run.resolve("last"))) a.addAll(List.of("--resume", run.resolve("last").toString()));
            else if (Files.exists(run)) a.add("--overwrite");
            try (TrainingProcess p = TrainingProcess.start(a, work.resolve("killed-" + kill + ".err"))) {
                long delay = (long) ((0.3 + random.nextDouble() * 0.5) * referenceNanos);
                Thread.sleep(delay / 1_000_000);
                if (!p.isAlive()) break;
                p.kill();
            }
            System.out.printf("pretrain kill %d: last/ %s%n", kill, Files.isDirectory(run.resolve("last")) ? "written" : "not yet");
        }
        List<String> a = args(run);
        if (Files.isDirectory(run.resolve("last"))) a.addAll(List.of("--resume", run.resolve("last").toString()));
        else if (Files.exists(run)) a.add("--overwrite");
        try (TrainingProcess p = TrainingProcess.start(a, work.resolve("final.err"))) {
            assertEquals(0, p.waitFor(), p.output() + p.errors());
        }
        assertEquals(withoutThroughput(reference.resolve("steps.csv")), withoutThroughput(run.resolve("steps.csv")));
        assertArrayEquals(Files.readAllBytes(reference.resolve("discriminator/model.safetensors")),
                Files.readAllBytes(run.resolve("discriminator/model.safetensors")), "the final weights, byte for byte");
    }

    /** steps.csv without its last column (tokens/s, wall-clock). */
    private static List<String> withoutThroughput(Path csv) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) out.add(line.substring(0, line.lastIndexOf(',')));
        return out;
    }
}
