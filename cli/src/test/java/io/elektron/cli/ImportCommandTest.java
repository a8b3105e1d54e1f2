package io.elektron.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.elektron.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code elektron import onnx} refuses what it cannot import with one line naming the file (the conversion itself is
 * tested on a real export in the model module's OnnxImportTest).
 */
class ImportCommandTest {
    @Test
    void aMissingOrForeignFileIsABadInputNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope.onnx");
        CliTestSupport.Run r = run("import", "onnx", missing.toString(), "--out", dir.resolve("a").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("nope.onnx"), r.err());

        Path text = Files.writeString(dir.resolve("notes.onnx"), "not a model\n");
        r = run("import", "onnx", text.toString(), "--out", dir.resolve("b").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("notes.onnx: not"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(dir.resolve("b")), "nothing written");
    }

    @Test
    void aFolderThatHoldsSomethingIsNotWrittenInto(@TempDir Path dir) throws Exception {
        Path used = Files.createDirectories(dir.resolve("used"));
        Files.writeString(used.resolve("keep.txt"), "someone's work\n");
        Path text = Files.writeString(dir.resolve("m.onnx"), "x");
        CliTestSupport.Run r = run("import", "onnx", text.toString(), "--out", used.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("not empty"), r.err());
        assertEquals("someone's work\n", Files.readString(used.resolve("keep.txt")));
    }
}
