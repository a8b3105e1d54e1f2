package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.elektron.cli.CliTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kills a real adversarial experiment ({@code elektron experiment adv} in a child JVM: the tiny checkpoint, the toy
 * data, none and fgm x 2 seeds, 4 epochs of 6 steps each, a mid-epoch checkpoint every 2 steps) at random moments with
 * SIGKILL, starts the same command again after each kill, and checks that the experiment it finally finishes reports
 * exactly what an uninterrupted one does: results.json equal in every cell's options and scores and in the statistics.
 * Only the measured cost (seconds per step, tokens/s) may differ: it is wall-clock time.
 */
class ExperimentResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KILLS = 6;

    @TempDir
    static Path work;
    private static JsonNode reference;
    private static long referenceNanos;

    static List<String> experimentArgs(Path out) {
        return new ArrayList<>(List.of("experiment", "adv", "--model", resource("tiny").toString(),
                "--train", resource("toy/train.tsv").toString(), "--dev", resource("toy/dev.tsv").toString(),
                "--test", resource("toy/test.tsv").toString(), "--methods", "fgm", "--seeds", "2", "--epochs", "4",
                "--batch-size", "8", "--lr", "2e-3", "--max-length", "16", "--save-steps", "2", "--threads", "1",
                "--out", out.toString()));
    }

    @BeforeAll
    static void uninterruptedReference() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")),
                "kill tests need Linux (SIGKILL via destroyForcibly); skipped here");
        Path out = work.resolve("reference");
        long t0 = System.nanoTime();
        try (TrainingProcess p = TrainingProcess.start(experimentArgs(out), work.resolve("reference.err"))) {
            assertEquals(0, p.waitFor(), p.output() + p.errors());
        }
        referenceNanos = System.nanoTime() - t0;
        reference = withoutCost(JSON.readTree(out.resolve("results.json").toFile()));
    }

    @Test
    void anExperimentKilledAtRandomMomentsAndStartedAgainReportsWhatAnUninterruptedOneDoes() throws Exception {
        Path out = work.resolve("killed");
        Random random = new Random(20261205L);
        int resumedMidCell = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            try (TrainingProcess p = TrainingProcess.start(experimentArgs(out), work.resolve("killed-" + kill + ".err"))) {
                // Spread over the whole experiment: a later process starts further on, so it may finish before its kill.
                long delay = (long) (random.nextDouble() * referenceNanos * 0.6);
                Thread.sleep(delay / 1_000_000);
                if (!p.isAlive()) break;
                p.kill();
                if (p.output().contains("resumed from ")) resumedMidCell++;
                System.out.printf("kill %d after %.0f ms; cells finished: %d%n", kill, delay / 1e6, finishedCells(out));
            }
        }
        try (TrainingProcess p = TrainingProcess.start(experimentArgs(out), work.resolve("final.err"))) {
            assertEquals(0, p.waitFor(), p.output() + p.errors());
        }
        System.out.println("processes that resumed a cell from a mid-run checkpoint: " + resumedMidCell);
        JsonNode resumed = withoutCost(JSON.readTree(out.resolve("results.json").toFile()));
        // Paths differ (reference/ vs killed/) only inside the cells' folders, which results.json does not name.
        assertEquals(reference.toPrettyString(), resumed.toPrettyString());
        assertEquals(4, resumed.path("cells").size());
        assertEquals(0, resumed.path("missing_cells").size());
    }

    private static long finishedCells(Path out) throws Exception {
        if (!Files.isDirectory(out)) return 0;
        try (var s = Files.list(out)) {
            return s.filter(d -> Files.isRegularFile(d.resolve(ExperimentCell.FILE))).count();
        }
    }

    /** results.json without what is wall-clock time. */
    private static JsonNode withoutCost(JsonNode results) {
        ObjectNode copy = (ObjectNode) results.deepCopy();
        for (JsonNode cell : copy.path("cells")) ((ObjectNode) cell).remove("cost");
        for (JsonNode method : copy.path("summary")) ((ObjectNode) method).remove("cost");
        return copy;
    }
}
