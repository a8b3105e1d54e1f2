package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.elektron.cli.CliTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kills real training runs ({@code elektron train} in a child JVM: the tiny checkpoint, 48 toy examples, 6 steps per
 * epoch, 30 epochs, "last" written after every epoch and "best" whenever dev improves) and checks that nothing is lost.
 *
 * <p>SIGKILL: one run is killed 8 times, each time resumed from what the previous process left, then finished. Kill
 * points ({@link KillPoint}, seeded): during start-up or the first epoch, at random instants of later epochs (steps,
 * dev evaluation, checkpoint writes), while a checkpoint folder is being written, and while it is being swapped in.
 * After every kill {@link RunFolderAudit} checks that best/ and last/ load completely (weights, trainer state,
 * optimizer state, all finite) and that whatever else was left has a temporary name; the finished run must then equal
 * an uninterrupted one exactly (metrics, per-epoch history, the bytes of the final weights) and hold no leftovers.
 *
 * <p>SIGINT: Ctrl-C at a random step exits with 130 after saving a mid-epoch checkpoint, which resumes to the same
 * end. Kill times depend on the machine's speed; what is asserted does not.
 */
class CrashSafetyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EPOCHS = 30;
    private static final int STEPS_PER_EPOCH = 6; // 48 examples, batch 8
    private static final Pattern EPOCH_LINE = Pattern.compile("epoch \\d+: train loss .*");
    private static final Pattern STAGING = Pattern.compile("(best|last)\\.tmp-\\d+");
    private static final Pattern NEW_VERSION = Pattern.compile("(best|last)\\.new");
    /** The CLI's default weight decay and layer-wise decay: the audit rebuilds the optimizer's groups with them. */
    private static final RunFolderAudit AUDIT = new RunFolderAudit(0.01f, 0f, STEPS_PER_EPOCH);

    @TempDir
    static Path work;
    private static Path reference;
    /** Measured on the uninterrupted run, to spread kill times over the epochs on any machine. */
    private static long firstEpochNanos;
    private static long epochNanos;

    static List<String> trainArgs(Path out) {
        return new ArrayList<>(List.of("train", "--model", resource("tiny").toString(),
                "--train", resource("toy/train.tsv").toString(), "--dev", resource("toy/dev.tsv").toString(),
                "--test", resource("toy/test.tsv").toString(), "--epochs", Integer.toString(EPOCHS), "--batch-size", "8",
                "--lr", "2e-3", "--max-length", "16", "--seed", "5", "--threads", "1", "--out", out.toString()));
    }

    @BeforeAll
    static void uninterruptedReference() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")),
                "crash-safety tests need Linux (/proc, SIGKILL via destroyForcibly, kill -s INT); skipped here");
        reference = work.resolve("reference");
        try (TrainingProcess p = TrainingProcess.start(trainArgs(reference), work.resolve("reference.err"))) {
            TrainingProcess.Line started = p.awaitLine(l -> l.startsWith("training "));
            TrainingProcess.Line first = p.awaitLine(l -> l.startsWith("epoch 1: train loss"));
            TrainingProcess.Line lastEpoch = p.awaitLine(l -> l.startsWith("epoch " + EPOCHS + ": train loss"));
            assertEquals(0, p.waitFor(), p.output() + p.errors());
            firstEpochNanos = first.nanos() - started.nanos();
            epochNanos = (lastEpoch.nanos() - first.nanos()) / (EPOCHS - 1);
        }
        System.out.printf("reference run: first epoch %.0f ms after start-up, then %.1f ms per epoch%n",
                firstEpochNanos / 1e6, epochNanos / 1e6);
    }

    /** Where a kill lands. */
    enum KillPoint {
        /** A random instant between start-up and the end of epoch 1: usually before any checkpoint exists. */
        STARTUP,
        /** A random instant of the next 2.5 epochs: a step, the dev evaluation or a checkpoint write. */
        RANDOM_INSTANT,
        /** 0-5 ms after a checkpoint's staging folder appears: while HfFolderWriter writes the new folder. */
        CHECKPOINT_WRITE,
        /** As soon as the complete new folder appears as best.new/last.new: while the renames swap it in. */
        CHECKPOINT_SWAP
    }

    private static final List<KillPoint> KILL_PLAN = List.of(KillPoint.STARTUP, KillPoint.RANDOM_INSTANT,
            KillPoint.CHECKPOINT_WRITE, KillPoint.CHECKPOINT_SWAP, KillPoint.RANDOM_INSTANT, KillPoint.CHECKPOINT_WRITE,
            KillPoint.RANDOM_INSTANT, KillPoint.CHECKPOINT_SWAP);

    @Test
    void sigkillAtAnyPointLeavesALoadableCheckpointAndResumingEndsWhereTheUninterruptedRunEnds() throws Exception {
        Path run = work.resolve("killed");
        Random random = new Random(20261125L);
        int epochsBefore = -1;
        int killsLeavingAHalfWrittenCheckpoint = 0;
        for (int kill = 0; kill < KILL_PLAN.size(); kill++) {
            KillPoint point = KILL_PLAN.get(kill);
            Path last = run.resolve("last");
            List<String> args = trainArgs(run);
            // Resumable once an epoch is in last/ (or in last.new, when a kill came between the renames of its save:
            // resuming puts it back). Before that the run starts afresh over what the killed process left.
            boolean resuming = epochsBefore >= 0;
            if (resuming) args.addAll(List.of("--resume", last.toString()));
            else if (Files.exists(run)) args.add("--overwrite");
            String where;
            try (TrainingProcess p = TrainingProcess.start(args, work.resolve("killed-" + kill + ".err"));
                 WatchService watcher = FileSystems.getDefault().newWatchService()) {
                p.awaitLine(l -> l.startsWith("training "));
                if (point == KillPoint.STARTUP) {
                    long delay = (long) (random.nextDouble() * firstEpochNanos);
                    sleepNanos(delay);
                    where = String.format("%.0f ms into start-up and epoch 1", delay / 1e6);
                } else {
                    // At least one epoch per process, so that the run moves on between kills.
                    requireOutput(p.awaitLine(l -> EPOCH_LINE.matcher(l).matches()), p, "a first epoch");
                    where = switch (point) {
                        case RANDOM_INSTANT -> killAtARandomInstant(p, random);
                        case CHECKPOINT_WRITE -> killWhenCreated(p, run, watcher, STAGING, (long) (random.nextDouble() * 5e6));
                        default -> killWhenCreated(p, run, watcher, NEW_VERSION, 0);
                    };
                }
                p.kill();
                if (resuming) assertTrue(p.output().contains("resumed from " + last), p.output());
            }
            RunFolderAudit.Finding found = AUDIT.check(run);
            assertTrue(found.epochsDone() >= epochsBefore, "a kill never loses a saved epoch: " + epochsBefore + " -> " + found.epochsDone());
            assertTrue(found.epochsDone() < EPOCHS, "kill " + kill + " came after the run's end; the run needs more epochs");
            epochsBefore = found.epochsDone();
            if (found.leftovers().stream().anyMatch(l -> STAGING.matcher(l.split(" ")[0]).matches())) killsLeavingAHalfWrittenCheckpoint++;
            System.out.printf("kill %d (%s): %s -> last/ %s; left behind: %s%n", kill, point, where,
                    found.epochsDone() < 0 ? "not written yet" : "epoch " + found.epochsDone() + " (step " + found.globalStep() + ")",
                    found.leftovers().isEmpty() ? "nothing" : found.leftovers());
        }
        System.out.println(killsLeavingAHalfWrittenCheckpoint + " of " + KILL_PLAN.size()
                + " kills left a checkpoint half written (its staging folder)");

        finishAndCompareWithReference(run, "killed-final.err");
    }

    @Test
    void sigintStopsAfterTheCurrentStepWithExitCode130AndTheCheckpointResumesToTheSameEnd() throws Exception {
        Path run = work.resolve("interrupted");
        Random random = new Random(130L);
        try (TrainingProcess p = TrainingProcess.start(trainArgs(run), work.resolve("interrupted.err"))) {
            requireOutput(p.awaitLine(l -> EPOCH_LINE.matcher(l).matches()), p, "a first epoch");
            assumeTrue(p.catchesSigint(), "this JVM was started with SIGINT ignored (a background job of a"
                    + " non-interactive shell?), so the child inherits that and never sees Ctrl-C; SIGINT test skipped");
            sleepNanos((long) (random.nextDouble() * 3 * epochNanos));
            p.interrupt();
            int code = p.waitFor();
            String errors = p.errors();
            assertEquals(ExitCode.INTERRUPTED, code, p.output() + errors);
            assertTrue(errors.contains("interrupt: finishing the current step"), errors);
            assertTrue(errors.contains("--resume " + run.resolve("last")), errors);
        }
        RunFolderAudit.Finding found = AUDIT.check(run);
        assertTrue(found.epochsDone() >= 1 && found.globalStep() > STEPS_PER_EPOCH, "stopped after the first epoch: " + found);
        System.out.printf("SIGINT: stopped at epoch %d + %d steps (step %d); left behind: %s%n", found.epochsDone(),
                found.batchesDoneInEpoch(), found.globalStep(), found.leftovers().isEmpty() ? "nothing" : found.leftovers());
        List<String> args = trainArgs(run);
        args.addAll(List.of("--resume", run.resolve("last").toString()));
        finishAndCompareWithReference(run, args, "interrupted-final.err");
    }

    @Test
    void sigtermSavesAResumableCheckpointLikeCtrlCAndResumesToTheSameEnd() throws Exception {
        Path run = work.resolve("terminated");
        Random random = new Random(143L);
        try (TrainingProcess p = TrainingProcess.start(trainArgs(run), work.resolve("terminated.err"))) {
            requireOutput(p.awaitLine(l -> EPOCH_LINE.matcher(l).matches()), p, "a first epoch");
            sleepNanos((long) (random.nextDouble() * 3 * epochNanos));
            p.terminate();
            int code = p.waitFor();
            String errors = p.errors();
            assertEquals(ExitCode.INTERRUPTED, code, p.output() + errors);
            assertTrue(errors.contains("--resume " + run.resolve("last")), errors);
        }
        RunFolderAudit.Finding found = AUDIT.check(run);
        assertTrue(found.epochsDone() >= 1, "stopped after the first epoch: " + found);
        System.out.printf("SIGTERM: stopped at epoch %d + %d steps (step %d)%n", found.epochsDone(),
                found.batchesDoneInEpoch(), found.globalStep());
        List<String> args = trainArgs(run);
        args.addAll(List.of("--resume", run.resolve("last").toString()));
        finishAndCompareWithReference(run, args, "terminated-final.err");
    }

    // ======================================================================== kill points

    /** Kills at a random instant of the next 2.5 epochs, or right after the third epoch line, whichever comes first. */
    private static String killAtARandomInstant(TrainingProcess p, Random random) throws InterruptedException {
        long delay = (long) (random.nextDouble() * 2.5 * epochNanos);
        long deadline = System.nanoTime() + delay;
        for (int epochs = 0; epochs < 3; epochs++) {
            if (p.awaitLineUntil(l -> EPOCH_LINE.matcher(l).matches(), deadline) == null) {
                requireAlive(p);
                return String.format("%.0f ms after an epoch ended (%.1f epochs)", delay / 1e6, delay / (double) epochNanos);
            }
        }
        return "after three more epochs (the epoch lines came faster than the reference run's)";
    }

    /** Kills {@code delayNanos} after an entry matching {@code name} appears in the run folder. */
    private static String killWhenCreated(TrainingProcess p, Path run, WatchService watcher, Pattern name, long delayNanos)
            throws IOException, InterruptedException {
        WatchKey key = run.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                WatchKey ready = watcher.poll(100, TimeUnit.MILLISECONDS);
                if (ready == null) {
                    requireAlive(p);
                    continue;
                }
                for (WatchEvent<?> e : ready.pollEvents()) {
                    if (e.context() instanceof Path created && name.matcher(created.toString()).matches()) {
                        if (delayNanos > 0) sleepNanos(delayNanos);
                        p.kill();
                        return String.format("%.1f ms after %s appeared", delayNanos / 1e6, created);
                    }
                }
                ready.reset();
            }
            throw new AssertionError("no " + name + " within 60 s\n" + p.output());
        } finally {
            key.cancel();
        }
    }

    // ======================================================================== the end

    private static void finishAndCompareWithReference(Path run, String errFile) throws Exception {
        List<String> args = trainArgs(run);
        if (Files.exists(run.resolve("last")) || Files.exists(run.resolve("last.new"))) {
            args.addAll(List.of("--resume", run.resolve("last").toString()));
        } else if (Files.exists(run)) {
            args.add("--overwrite");
        }
        finishAndCompareWithReference(run, args, errFile);
    }

    private static void finishAndCompareWithReference(Path run, List<String> args, String errFile) throws Exception {
        try (TrainingProcess p = TrainingProcess.start(args, work.resolve(errFile))) {
            assertEquals(0, p.waitFor(), p.output() + p.errors());
        }
        RunFolderAudit.Finding found = AUDIT.check(run);
        assertEquals(EPOCHS, found.epochsDone());
        assertEquals(List.of(), found.leftovers(), "a finished run leaves nothing behind");

        JsonNode metrics = JSON.readTree(run.resolve("metrics.json").toFile());
        JsonNode expected = JSON.readTree(reference.resolve("metrics.json").toFile());
        for (String field : List.of("best_epoch", "global_threshold", "dev_at_0.5", "test_at_0.5", "test_at_global_threshold",
                "test_at_per_label_thresholds")) {
            assertEquals(expected.get(field), metrics.get(field), field);
        }
        JsonNode history = JSON.readTree(run.resolve("history.json").toFile());
        JsonNode expectedHistory = JSON.readTree(reference.resolve("history.json").toFile());
        assertEquals(EPOCHS, history.size());
        for (int i = 0; i < EPOCHS; i++) {
            for (String field : List.of("epoch", "train_loss", "dev_micro_f1_at_0.5", "dev_macro_f1_tuned", "dev_threshold_tuned")) {
                assertEquals(expectedHistory.get(i).get(field), history.get(i).get(field), "epoch " + (i + 1) + " " + field);
            }
        }
        assertEquals(Files.readString(reference.resolve("steps.csv")), Files.readString(run.resolve("steps.csv")),
                "every step's record, those before the interruption read back from steps.csv");
        for (String weights : List.of("best/model.safetensors", "last/model.safetensors", "last/optimizer.safetensors")) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(weights)), Files.readAllBytes(run.resolve(weights)), weights);
        }
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(10, s.count(), "best, last, run record, history, steps, step times, metrics, report and two plots");
        }
    }

    // ======================================================================== helpers

    private static void requireOutput(TrainingProcess.Line line, TrainingProcess p, String what) throws IOException {
        if (line == null) throw new AssertionError("the run ended before " + what + "\n" + p.output() + "\n" + p.errors());
    }

    private static void requireAlive(TrainingProcess p) {
        assertTrue(p.isAlive(), "the run ended before it could be killed; it needs more epochs\n" + p.output());
    }

    private static void sleepNanos(long nanos) throws InterruptedException {
        TimeUnit.NANOSECONDS.sleep(nanos);
    }
}
