package io.elektron.model.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Replaces a folder (a checkpoint such as {@code best/}) by a new complete one, so that a process killed at any instant
 * leaves a complete checkpoint under the name or, for the instant between two renames, under a name that
 * {@link #recover} puts back. The folder stays a real folder: {@code cp -r}, tar and rsync copy it as it is (a
 * symbolic link to a versioned folder, the earlier design, shipped as a dangling link).
 *
 * <p>Names beside {@code target} (here {@code best}):
 * <ol>
 *   <li>{@code best.tmp-*}: written by the caller, possibly partial; deleted by the next publish or recovery;</li>
 *   <li>{@code best.new}: the staged folder renamed once complete (and forced to disk);</li>
 *   <li>{@code best.old}: the previous {@code best}, renamed aside;</li>
 *   <li>{@code best.new} renamed to {@code best};</li>
 *   <li>{@code best.old} renamed to {@code best.tmp-discarded-*}, then deleted: a kill while deleting leaves an
 *       obviously unfinished name, never a half-deleted folder still named like a checkpoint.</li>
 * </ol>
 * So {@code best.new} and {@code best.old} are always complete, and {@code best} is missing only between steps 3 and
 * 4, when {@code best.new} holds the checkpoint.
 */
public final class FolderSwap {
    private static final String NEW = ".new";
    private static final String OLD = ".old";
    private static final String TEMP = ".tmp-";

    private FolderSwap() {
    }

    /**
     * A fresh staging folder beside {@code target}, readable by others like any output folder. Leftovers of a killed
     * earlier publish are dealt with first ({@link #recover}).
     */
    public static Path stagingFolder(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        recover(target);
        Path staging = Files.createTempDirectory(parent, target.getFileName() + TEMP);
        try {
            // createTempDirectory makes it owner-only; a checkpoint is meant to be shared like any output folder.
            Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the defaults
        }
        return staging;
    }

    /** Makes the complete folder {@code staging} (from {@link #stagingFolder}) the new {@code target}. */
    public static void publish(Path staging, Path target) throws IOException {
        syncTree(staging);
        Path fresh = sibling(target, NEW);
        move(staging, fresh);
        syncDirectory(fresh.getParent());
        finishSwap(target);
    }

    /**
     * Completes or undoes what a killed {@link #publish} left beside {@code target}: a complete {@code .new} becomes
     * the target, a replaced {@code .old} and partial {@code .tmp-} folders are deleted. Call before reading a
     * checkpoint that a killed process may have been writing (resuming); {@link #stagingFolder} calls it too.
     */
    public static void recover(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) return;
        if (Files.isSymbolicLink(target) && !Files.exists(sibling(target, NEW), LinkOption.NOFOLLOW_LINKS)) {
            // A run folder of an earlier version: the name was a link to a versioned folder. That folder becomes the
            // checkpoint itself (through .new, so that a kill here is recovered like any other).
            Path linked = target.toAbsolutePath().resolveSibling(Files.readSymbolicLink(target));
            if (Files.isDirectory(linked, LinkOption.NOFOLLOW_LINKS)) move(linked, sibling(target, NEW));
        }
        if (Files.isDirectory(sibling(target, NEW), LinkOption.NOFOLLOW_LINKS)) {
            finishSwap(target);
        } else if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                && Files.isDirectory(sibling(target, OLD), LinkOption.NOFOLLOW_LINKS)) {
            // Not written by publish (it renames .new in before discarding .old), but complete: better than nothing.
            move(sibling(target, OLD), target);
        }
        discardIfPresent(sibling(target, OLD), target);
        String tempPrefix = target.getFileName() + TEMP;
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : siblings.toList()) {
                if (p.getFileName().toString().startsWith(tempPrefix) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                }
            }
        }
    }

    /** Steps 3-5: the complete {@code .new} folder replaces the target. */
    private static void finishSwap(Path target) throws IOException {
        Path fresh = sibling(target, NEW);
        Path old = sibling(target, OLD);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            // A leftover .old is complete but older than the target: it goes first, so the name is free.
            discardIfPresent(old, target);
            move(target, old);
        }
        move(fresh, target);
        syncDirectory(target.toAbsolutePath().getParent());
        discardIfPresent(old, target);
    }

    private static void discardIfPresent(Path folder, Path target) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) return;
        Path doomed = sibling(target, TEMP + "discarded-" + System.nanoTime());
        move(folder, doomed);
        deleteTree(doomed);
    }

    private static Path sibling(Path target, String suffix) {
        Path absolute = target.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + suffix);
    }

    /**
     * Forces the staged files and folders to disk before the rename publishes them. A killed process needs none of
     * this (the kernel still holds its writes); after a power loss, a renamed folder whose small files had not reached
     * the disk yet could come back empty under the new name.
     */
    private static void syncTree(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path f : walk.toList()) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    syncDirectory(f);
                }
            }
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync a directory; the renames themselves are still atomic there.
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes a folder and everything in it (links themselves, never what they point to). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
