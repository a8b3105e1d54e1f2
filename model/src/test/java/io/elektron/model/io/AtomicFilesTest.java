package io.elektron.model.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @Test
    void writesReplaceTheFileAndRemoveTempFilesOfKilledWritersOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.json");
        Files.writeString(file, "old");
        // A writer that died mid-write: its pid names no live process any more.
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path abandoned = dir.resolve("history.json.tmp-" + finished.pid());
        Files.writeString(abandoned, "[{\"epoch\": 1, \"trai");
        // A writer that is still running (this JVM's parent, the build tool): its temp file stays.
        long alivePid = ProcessHandle.current().parent().orElseThrow().pid();
        Path inProgress = dir.resolve("history.json.tmp-" + alivePid);
        Files.writeString(inProgress, "[");
        Path unrelated = dir.resolve("history.json.tmp-notapid");
        Files.writeString(unrelated, "x");

        AtomicFiles.write(file, "new".getBytes(StandardCharsets.UTF_8));

        assertEquals("new", Files.readString(file));
        assertFalse(Files.exists(abandoned), "the killed writer's partial file is gone");
        assertTrue(Files.exists(inProgress), "a live writer's file is not touched");
        assertTrue(Files.exists(unrelated), "names that are not ours are not touched");
        assertFalse(Files.exists(dir.resolve("history.json.tmp-" + ProcessHandle.current().pid())));
    }
}
