package io.elektron.model.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a process killed at each instant of {@link FolderSwap#publish} leaves, fabricated folder by folder, and what
 * recovery makes of it: always the newest complete folder under the name, as a real folder, and nothing else.
 */
class FolderSwapTest {

    /** A checkpoint stand-in: a folder with one file naming its version. */
    private static Path checkpoint(Path folder, String version) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("weights"), version);
        return folder;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertPlainCheckpoint(Path target, String version) throws Exception {
        assertTrue(Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS), target + " is a real folder");
        assertFalse(Files.isSymbolicLink(target), target + " is not a link");
        assertEquals(version, Files.readString(target.resolve("weights")));
    }

    @Test
    void publishReplacesTheFolderAndLeavesNothingBesideIt(@TempDir Path dir) throws Exception {
        Path best = dir.resolve("best");
        for (String version : List.of("1", "2")) {
            Path staging = FolderSwap.stagingFolder(best);
            assertTrue(staging.getFileName().toString().startsWith("best.tmp-"), staging.toString());
            Files.writeString(staging.resolve("weights"), version);
            FolderSwap.publish(staging, best);
            assertPlainCheckpoint(best, version);
            assertEquals(List.of("best"), names(dir));
        }
    }

    @Test
    void killedAfterTheNewFolderWasCompleteRecoveryMakesItTheCheckpoint(@TempDir Path dir) throws Exception {
        Path best = dir.resolve("best");
        checkpoint(best, "1");
        checkpoint(dir.resolve("best.new"), "2");
        FolderSwap.recover(best);
        assertPlainCheckpoint(best, "2");
        assertEquals(List.of("best"), names(dir));
    }

    @Test
    void killedBetweenTheTwoRenamesRecoveryPutsTheNewFolderUnderTheName(@TempDir Path dir) throws Exception {
        Path last = dir.resolve("last");
        checkpoint(dir.resolve("last.old"), "1");
        checkpoint(dir.resolve("last.new"), "2");
        FolderSwap.recover(last);
        assertPlainCheckpoint(last, "2");
        assertEquals(List.of("last"), names(dir));
    }

    @Test
    void killedWhileDiscardingTheOldFolderOrWritingANewOneLeavesOnlyTemporaryNamesThatRecoveryDeletes(@TempDir Path dir)
            throws Exception {
        Path last = dir.resolve("last");
        checkpoint(last, "2");
        checkpoint(dir.resolve("last.old"), "1");                  // renamed aside, not yet renamed for deletion
        checkpoint(dir.resolve("last.tmp-discarded-7"), "0");      // half deleted
        Files.createDirectories(dir.resolve("last.tmp-123"));      // a staging folder being written
        Files.writeString(dir.resolve("last.tmp-123/weights"), "3 (trunc");
        checkpoint(dir.resolve("best"), "1");                      // another checkpoint's name: not this one's business
        FolderSwap.recover(last);
        assertPlainCheckpoint(last, "2");
        assertEquals(List.of("best", "last"), names(dir));
    }

    @Test
    void aRunFolderOfTheEarlierLinkLayoutBecomesAPlainFolder(@TempDir Path dir) throws Exception {
        Path best = dir.resolve("best");
        checkpoint(dir.resolve("best.v123"), "1");
        Files.createSymbolicLink(best, Path.of("best.v123"));
        FolderSwap.recover(best);
        assertPlainCheckpoint(best, "1");
        assertEquals(List.of("best"), names(dir));
    }

    @Test
    void nothingToRecoverLeavesTheFolderAlone(@TempDir Path dir) throws Exception {
        Path best = dir.resolve("best");
        FolderSwap.recover(best);
        assertEquals(List.of(), names(dir));
        checkpoint(best, "1");
        FolderSwap.recover(best);
        assertPlainCheckpoint(best, "1");
    }
}
