package io.elektron.cli.maven;

import io.elektron.model.io.FolderSwap;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Where Elektron keeps models it fetched as Maven artifacts and the HF folders it made of them:
 * <pre>
 * {root}/maven/{group}/{artifact}/{version}/{artifact}-{version}.jar   the jar, when it had to be downloaded
 * {root}/maven/{group}/{artifact}/{version}/hf-v1/                    the converted HF folder
 * {root}/maven/{group}/{artifact}/{version}/.{name}.{random}.incomplete  a download or conversion under way
 * </pre>
 * Both the jar and the converted folder ({@code hf-v<importer output version>/}) appear by a rename once complete, so whatever has one of those names is finished; a
 * killed process leaves only an {@code .incomplete} name, which nothing reads.
 */
final class MavenModelCache {
    /** Named by the importer's output version: a newer importer converts again instead of trusting an older folder. */
    static final String CONVERTED_FOLDER = "hf-v" + io.elektron.model.onnx.OnnxImport.OUTPUT_VERSION;
    private static final String INCOMPLETE = ".incomplete";
    /** Older than this, an .incomplete entry belongs to a process that died, not to one still working. */
    private static final Duration ABANDONED_AFTER = Duration.ofDays(1);

    private final Path root;

    MavenModelCache(Path root) {
        this.root = root;
    }

    /** {@code $ELEKTRON_CACHE}, else {@code $XDG_CACHE_HOME/elektron}, else {@code ~/.cache/elektron}. */
    static MavenModelCache locate(Map<String, String> env, Path home) {
        String elektron = env.get("ELEKTRON_CACHE");
        if (elektron != null && !elektron.isBlank()) return new MavenModelCache(Path.of(elektron.trim()));
        String xdg = env.get("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg.trim()) : home.resolve(".cache");
        return new MavenModelCache(cache.resolve("elektron"));
    }

    Path root() {
        return root;
    }

    Path versionFolder(MavenCoordinate c) {
        return root.resolve("maven").resolve(c.groupId()).resolve(c.artifactId()).resolve(c.version());
    }

    Path downloadedJar(MavenCoordinate c) {
        return versionFolder(c).resolve(c.jarFileName());
    }

    Path convertedFolder(MavenCoordinate c) {
        return versionFolder(c).resolve(CONVERTED_FOLDER);
    }

    /** The version folder, created, with what dead processes left there removed. */
    Path prepareVersionFolder(MavenCoordinate c) throws MavenModelException {
        Path dir = versionFolder(c);
        try {
            Files.createDirectories(dir);
            removeAbandoned(dir);
        } catch (IOException e) {
            throw new MavenModelException("cannot write the Elektron cache at " + dir + ": " + e, e);
        }
        return dir;
    }

    /**
     * An empty, uniquely named {@code .{name}.{random}.incomplete} file in {@code dir}. Not Files.createTempFile: that
     * makes the file owner-only (0600), which the rename would carry into a cache other users may share.
     */
    static Path newTempFile(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = tempName(dir, name);
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) throw e;
            }
        }
    }

    /** An empty, uniquely named {@code .{name}.{random}.incomplete} folder in {@code dir} (permissions from the umask). */
    static Path newTempFolder(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = tempName(dir, name);
            try {
                return Files.createDirectory(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) throw e;
            }
        }
    }

    private static Path tempName(Path dir, String name) {
        return dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + INCOMPLETE);
    }

    private static void removeAbandoned(Path dir) throws IOException {
        Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                if (!p.getFileName().toString().endsWith(INCOMPLETE)) continue;
                try {
                    if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) FolderSwap.deleteTree(p);
                } catch (IOException e) {
                    // Another process may be removing it too; a leftover is only wasted space.
                }
            }
        }
    }
}
