package io.elektron.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.elektron.cli.CliTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Results written to a standard output that fails ({@code > /dev/full}, a full disk) are not lost silently. */
class StdoutFailureTest {
    /** What writing to /dev/full does: every write fails. */
    private static final class FullDisk extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    @Test
    void predictEncodeAndTokenizeExitNonZeroWithOneLineWhenStandardOutputFails() {
        String model = resource("tiny").toString();
        String input = resource("tiny-texts.jsonl").toString();
        for (List<String> command : List.of(
                List.of("predict", "--model", model, "--input", input),
                List.of("predict", "--model", model, "--input", input, "--json"),
                List.of("encode", "--model", model, "--input", input, "--json"),
                List.of("tokenize", "--model", model, "--input", input, "--json"))) {
            StringWriter err = new StringWriter();
            int code = Main.execute(command.toArray(String[]::new), new PrintWriter(new FullDisk(), true), new PrintWriter(err, true));
            assertEquals(ExitCode.OUTPUT_FAILED, code, command + ": " + err);
            String message = err.toString().strip();
            assertTrue(message.lines().anyMatch(l -> l.startsWith("error: writing to standard output failed")), command + ": " + message);
        }
    }

    @Test
    void redirectedToDevFullTheRealProcessExitsNonZero(@TempDir Path dir) throws Exception {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.exists(devFull), "needs /dev/full (Linux); skipped here");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "predict", "--model", resource("tiny").toString(), "--input", resource("tiny-texts.jsonl").toString()));
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(devFull.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "predict did not finish");
        String errors = Files.readString(err);
        assertEquals(ExitCode.OUTPUT_FAILED, p.exitValue(), errors);
        assertTrue(errors.contains("error: writing to standard output failed"), errors);
    }

    @Test
    void theSameCommandsExitZeroWhenTheOutputIsWritten() {
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[]{"tokenize", "--model", resource("tiny").toString(), "--input",
                resource("tiny-texts.jsonl").toString(), "--json"}, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        assertEquals(ExitCode.OK, code);
        assertEquals(3, out.toString().lines().count());
    }
}
