package io.elektron.cli.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The HF hub cache as Python's huggingface_hub lays it out, so models downloaded by either side are found by the other:
 * <pre>
 * {root}/models--{org}--{name}/refs/{revision}            the commit hash the revision pointed at when last fetched
 * {root}/models--{org}--{name}/snapshots/{commit}/{file}   the files (in Python's cache: symlinks into blobs/)
 * {root}/models--{org}--{name}/.no_exist/{commit}/{file}   empty: the file is known not to exist at that commit
 * </pre>
 * We write files straight into snapshots/ (no blobs/): Python reads such a cache fine.
 */
public final class HubCache {
    /** Loading needs these: config.json and one of the weight files. */
    static final String CONFIG = "config.json";
    static final List<String> WEIGHTS = List.of("model.safetensors", "pytorch_model.bin");
    /** Fetched when they exist: the tokenizer's files. */
    static final List<String> OPTIONAL = List.of("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

    private final Path root;

    public HubCache(Path root) {
        this.root = root;
    }

    /**
     * Where huggingface_hub puts its cache: {@code $HF_HUB_CACHE} (or the older {@code $HUGGINGFACE_HUB_CACHE}), else
     * {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}.
     */
    public static HubCache locate(Map<String, String> env, Path home) {
        String hubCache = nonBlank(env.get("HF_HUB_CACHE"), env.get("HUGGINGFACE_HUB_CACHE"));
        if (hubCache != null) return new HubCache(expandHome(hubCache, home));
        return new HubCache(hfHome(env, home).resolve("hub"));
    }

    /** {@code $HF_HOME}, else {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}. */
    static Path hfHome(Map<String, String> env, Path home) {
        String hfHome = nonBlank(env.get("HF_HOME"));
        if (hfHome != null) return expandHome(hfHome, home);
        String xdg = nonBlank(env.get("XDG_CACHE_HOME"));
        Path cache = xdg != null ? expandHome(xdg, home) : home.resolve(".cache");
        return cache.resolve("huggingface");
    }

    public Path root() {
        return root;
    }

    public Path repoFolder(HubModelId id) {
        return root.resolve(id.cacheFolderName());
    }

    public Path snapshot(HubModelId id, String commit) {
        return repoFolder(id).resolve("snapshots").resolve(commit);
    }

    /** The commit the id's revision points at locally: the revision itself if it is a hash, else refs/{revision}. */
    public Optional<String> commit(HubModelId id) throws IOException {
        if (id.revisionIsCommit()) return Optional.of(id.revision());
        Path ref = repoFolder(id).resolve("refs").resolve(id.revision());
        if (!Files.isRegularFile(ref)) return Optional.empty();
        String commit = Files.readString(ref, StandardCharsets.UTF_8).trim();
        return HubModelId.isCommit(commit) ? Optional.of(commit) : Optional.empty();
    }

    /** The cached snapshot for the id if it holds what loading needs (config.json and a weight file). */
    public Optional<Path> usableSnapshot(HubModelId id) throws IOException {
        Optional<String> commit = commit(id);
        if (commit.isEmpty()) return Optional.empty();
        Path snapshot = snapshot(id, commit.get());
        return isUsable(snapshot) ? Optional.of(snapshot) : Optional.empty();
    }

    static boolean isUsable(Path snapshot) {
        // isRegularFile follows links, so Python's snapshot symlinks into blobs/ count (a dangling one does not).
        if (!Files.isRegularFile(snapshot.resolve(CONFIG))) return false;
        for (String w : WEIGHTS) if (Files.isRegularFile(snapshot.resolve(w))) return true;
        return false;
    }

    /** Every optional file of the snapshot is either there or known not to exist: nothing left to ask the hub. */
    boolean isComplete(HubModelId id, String commit) {
        Path snapshot = snapshot(id, commit);
        if (!isUsable(snapshot)) return false;
        for (String f : OPTIONAL) if (!Files.isRegularFile(snapshot.resolve(f)) && !isKnownMissing(id, commit, f)) return false;
        return true;
    }

    boolean isKnownMissing(HubModelId id, String commit, String file) {
        return Files.exists(repoFolder(id).resolve(".no_exist").resolve(commit).resolve(file));
    }

    void markMissing(HubModelId id, String commit, String file) throws IOException {
        Path marker = repoFolder(id).resolve(".no_exist").resolve(commit).resolve(file);
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) Files.createFile(marker);
    }

    void writeRef(HubModelId id, String commit) throws IOException {
        if (id.revisionIsCommit()) return;
        Path ref = repoFolder(id).resolve("refs").resolve(id.revision());
        Files.createDirectories(ref.getParent());
        Path tmp = newTempFile(ref.getParent(), ref.getFileName().toString());
        try {
            Files.writeString(tmp, commit, StandardCharsets.UTF_8);
            moveAtomically(tmp, ref);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * An empty, uniquely named {@code .{name}.{random}.incomplete} in {@code dir}. Not Files.createTempFile: that makes
     * the file owner-only (0600), which the rename would carry into a cache other users may share; CREATE_NEW leaves
     * the permissions to the umask, as Python's downloads get.
     */
    static Path newTempFile(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".incomplete");
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 10) throw e;
            }
        }
    }

    /** Renames a complete file over its final name (same folder, so atomic on any ordinary file system). */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Same directory, so this only happens on odd file systems; a plain replace is the best left.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path expandHome(String path, Path home) {
        if (path.equals("~")) return home;
        if (path.startsWith("~/")) return home.resolve(path.substring(2));
        return Path.of(path);
    }

    private static String nonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v.trim();
        return null;
    }
}
