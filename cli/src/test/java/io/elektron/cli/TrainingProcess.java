package io.elektron.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The CLI ({@link Main}) in a child JVM, as a user runs it, so that it can be killed for real: SIGKILL through
 * {@link Process#destroyForcibly()}, SIGINT through kill(1). Standard output is read line by line as it comes (with
 * the time each line arrived); standard error goes to a file.
 */
final class TrainingProcess implements AutoCloseable {
    /** A line of standard output and when it arrived (System.nanoTime). */
    record Line(String text, long nanos) {
    }

    private static final Line END = new Line("", 0);
    /** Only a guard against a hung child: each run here takes seconds. */
    private static final long HANG_SECONDS = 180;

    private final Process process;
    private final Path stderr;
    private final long startedNanos;
    private final BlockingQueue<Line> pending = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private TrainingProcess(Process process, Path stderr, long startedNanos) {
        this.process = process;
        this.stderr = stderr;
        this.startedNanos = startedNanos;
        Thread reader = new Thread(this::readOutput, "stdout of pid " + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -cp <this test's classpath> io.elektron.cli.Main <args>}; stderr goes to {@code stderr}. */
    static TrainingProcess start(List<String> args, Path stderr) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java executable")));
        // Small and single-threaded: the machine running the tests is shared.
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC"));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            command.add("--add-modules=jdk.incubator.vector"); // the same kernels as the test JVM
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new TrainingProcess(p, stderr, System.nanoTime());
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String s; (s = r.readLine()) != null; ) {
                long now = System.nanoTime();
                synchronized (output) {
                    output.add(s);
                }
                pending.add(new Line(s, now));
            }
        } catch (IOException e) {
            // the process was killed: its output simply ends
        } finally {
            pending.add(END);
        }
    }

    /** The next line of output that matches, or null when the output ended first. */
    Line awaitLine(Predicate<String> matches) throws InterruptedException {
        while (true) {
            Line l = pending.poll(HANG_SECONDS, TimeUnit.SECONDS);
            if (l == null) throw new IllegalStateException("no output for " + HANG_SECONDS + " s from pid " + pid() + "\n" + output());
            if (l == END) {
                pending.add(END); // later calls see the end too
                return null;
            }
            if (matches.test(l.text())) return l;
        }
    }

    /** The next matching line if it arrives before {@code deadlineNanos} (System.nanoTime), else null. */
    Line awaitLineUntil(Predicate<String> matches, long deadlineNanos) throws InterruptedException {
        while (true) {
            long wait = deadlineNanos - System.nanoTime();
            if (wait <= 0) return null;
            Line l = pending.poll(wait, TimeUnit.NANOSECONDS);
            if (l == null) return null;
            if (l == END) {
                pending.add(END);
                return null;
            }
            if (matches.test(l.text())) return l;
        }
    }

    long pid() {
        return process.pid();
    }

    long startedNanos() {
        return startedNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (destroyForcibly on Linux), then waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("pid " + pid() + " survived SIGKILL");
    }

    /** SIGINT, what Ctrl-C in a terminal sends. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", "INT", Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new IllegalStateException("kill -s INT " + pid() + " failed");
    }

    /** SIGTERM, what docker stop, Kubernetes, SLURM and timeout(1) send. */
    void terminate() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", "TERM", Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) throw new IllegalStateException("kill -s TERM " + pid() + " failed");
    }

    /**
     * Whether the process has installed a SIGINT handler (bit 2 of SigCgt in /proc/pid/status). A JVM started with
     * SIGINT ignored (a background job of a non-interactive shell) keeps it ignored and installs none.
     */
    boolean catchesSigint() throws IOException {
        if (!process.isAlive()) {
            // No /proc entry to read: say how the child ended instead of failing on a missing file.
            throw new IllegalStateException("pid " + pid() + " already exited with code " + process.exitValue()
                    + " before its signal mask could be read\n" + output());
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("SigCgt:")) return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
        }
        return false;
    }

    /** Waits for the process to end on its own and returns its exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("pid " + pid() + " still running after " + HANG_SECONDS + " s\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    String errors() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
