package io.elektron.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/**
 * The folder a training command writes its results into. A folder that already holds something (a previous run's
 * checkpoints, metrics, or anything else) is never written over silently: the command is refused unless the user
 * asked to continue it (the command's resume option) or to replace it ({@code --overwrite}).
 *
 * <p>Replacing moves the previous contents aside to {@code <out>.previous-<time>} instead of deleting them: the new run
 * may still fail (bad data found late, divergence, a full disk, Ctrl-C), and until it has produced a model of its own
 * the previous one is the only model the user has. Deleting the set-aside folder is left to the user.
 *
 * @param path          the run folder
 * @param overwrite     {@code --overwrite} was given
 * @param continueHint  how to continue the previous run instead (e.g. "--resume runs/x/last"), or null when the
 *                      command cannot continue a run
 */
record RunFolder(Path path, boolean overwrite, String continueHint) {

    /**
     * Refuses (as a usage error) a folder that holds a previous run, unless {@code overwrite}; call before any work, so
     * that a refused command costs nothing.
     */
    static RunFolder check(Path path, boolean overwrite, String continueHint) throws IOException {
        RunFolder folder = new RunFolder(path, overwrite, continueHint);
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new IllegalArgumentException("--out " + path + " is a file, not a folder");
        }
        if (!overwrite && folder.holdsPreviousRun()) {
            String ways = continueHint == null
                    ? "use --overwrite to replace it, or another --out"
                    : "use --overwrite to replace it, " + continueHint + " to continue it, or another --out";
            throw new IllegalArgumentException(path + " already holds a previous run's results; " + ways);
        }
        return folder;
    }

    /** A resumed run continues in its folder, whatever that folder holds. */
    static RunFolder resumed(Path path) {
        return new RunFolder(path, false, null);
    }

    /**
     * With {@code --overwrite}, moves what the folder holds aside (saying where) so that the new run starts in an empty
     * folder; call once the inputs are known to be good, just before the run writes anything.
     */
    void prepareForNewRun(PrintWriter messages) throws IOException {
        if (!overwrite || !holdsPreviousRun()) return;
        Path aside = asideName();
        Files.move(path, aside);
        messages.println("--overwrite: the previous contents of " + path + " were moved to " + aside
                + " (delete that folder once this run's results replace them)");
        messages.flush();
    }

    private boolean holdsPreviousRun() throws IOException {
        if (!Files.isDirectory(path)) return false;
        try (Stream<Path> entries = Files.list(path)) {
            return entries.findAny().isPresent();
        }
    }

    private Path asideName() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path absolute = path.toAbsolutePath().normalize();
        Path aside = absolute.resolveSibling(absolute.getFileName() + ".previous-" + stamp);
        // Two --overwrite runs within one second: number the later ones.
        for (int n = 2; Files.exists(aside); n++) {
            aside = absolute.resolveSibling(absolute.getFileName() + ".previous-" + stamp + "-" + n);
        }
        return aside;
    }
}
