package io.elektron.model.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.elektron.core.Tensor;
import io.elektron.core.nn.Module;
import io.elektron.model.ElectraConfig;
import io.elektron.weights.SafetensorsWriter;
import io.elektron.weights.StoredTensor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Saves a model as a HuggingFace folder that {@code from_pretrained} loads as it is: config.json (with id2label,
 * label2id, problem_type), model.safetensors (metadata {"format": "pt"}, which transformers requires; encoder keys
 * `electra.`-prefixed, which it requires next to a head; a tied tensor stored once, as save_pretrained does), and the
 * tokenizer files copied byte for byte (HF's own save rewrites vocab.txt and shifts ids when it has duplicate lines).
 *
 * <p>The folder is built beside the target and swapped in atomically (see {@link #swapIn}), so a crash leaves either
 * the old complete checkpoint or the new complete one, never a half-written one.
 */
public final class HfFolderWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> TOKENIZER_FILES = List.of("vocab.txt", "tokenizer_config.json",
            "special_tokens_map.json", "tokenizer.json");

    private HfFolderWriter() {
    }

    /** Writes one file of the checkpoint, given its path inside the staging folder (content that streams to disk). */
    @FunctionalInterface
    public interface FileContent {
        void writeTo(Path file) throws IOException;
    }

    /**
     * @param extraFiles additional files to write (name -> bytes), e.g. thresholds.json
     * @param tokenizerSource folder to copy tokenizer files from (may be null)
     */
    public static void save(Path target, Module model, ElectraConfig config, String architecture, Path tokenizerSource,
                            Map<String, byte[]> extraFiles) throws IOException {
        save(target, model, config, architecture, tokenizerSource, extraFiles, Map.of());
    }

    /** As above, plus files that write themselves into the staging folder (name -> writer), e.g. optimizer state. */
    public static void save(Path target, Module model, ElectraConfig config, String architecture, Path tokenizerSource,
                            Map<String, byte[]> extraFiles, Map<String, FileContent> writtenFiles) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, target.getFileName() + ".tmp-");
        try {
            // createTempDirectory makes it owner-only; a checkpoint is meant to be shared like any output folder.
            Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the defaults
        }
        try {
            Files.write(staging.resolve("config.json"), JSON.writeValueAsBytes(config.toJson(architecture)));
            SafetensorsWriter.write(staging.resolve("model.safetensors"), tensors(model), SafetensorsWriter.PYTORCH_METADATA);
            if (tokenizerSource != null) {
                for (String name : TOKENIZER_FILES) {
                    Path src = tokenizerSource.resolve(name);
                    if (Files.isRegularFile(src)) Files.copy(src, staging.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (var e : extraFiles.entrySet()) Files.write(staging.resolve(e.getKey()), e.getValue());
            for (var e : writtenFiles.entrySet()) e.getValue().writeTo(staging.resolve(e.getKey()));
            syncFolder(staging);
            swapIn(staging, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /** Parameters in state-dict order, each distinct tensor once (the first name wins, as HF drops tied aliases). */
    static List<StoredTensor> tensors(Module model) {
        List<StoredTensor> out = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (var e : model.namedParameters().entrySet()) {
            Tensor t = e.getValue();
            if (seen.put(t, Boolean.TRUE) != null) continue;
            long[] shape = java.util.Arrays.stream(t.shape()).asLongStream().toArray();
            out.add(StoredTensor.ofFloats(e.getKey(), shape, t.toFloatArray()));
        }
        return out;
    }

    /**
     * Makes {@code target} name the new folder atomically. The folder itself is a versioned sibling
     * ({@code best.v<time>}); {@code target} is a symbolic link to it, replaced by renaming a new link over it, which
     * POSIX makes atomic: a process killed at any instant leaves {@code target} naming a complete checkpoint.
     */
    private static void swapIn(Path staging, Path target) throws IOException {
        Path versioned = target.resolveSibling(target.getFileName() + ".v" + System.nanoTime());
        move(staging, versioned);
        Path previous = Files.isSymbolicLink(target) ? target.resolveSibling(Files.readSymbolicLink(target)) : null;
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(target)) {
            // A plain folder from elsewhere (or an older layout): move it aside, then link.
            Path aside = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
            move(target, aside);
            previous = aside;
        }
        Path link = target.resolveSibling(target.getFileName() + ".link-" + System.nanoTime());
        try {
            Files.createSymbolicLink(link, versioned.getFileName());
            Files.move(link, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (UnsupportedOperationException | IOException e) {
            // No symbolic links here: fall back to a plain rename (a short window without the folder).
            Files.deleteIfExists(link);
            if (Files.exists(target)) deleteTree(target);
            move(versioned, target);
            return;
        }
        syncDirectory(target.toAbsolutePath().getParent());
        if (previous != null && !previous.equals(versioned)) discard(previous, target);
        removeStaleVersions(target, versioned);
    }

    /**
     * Deletes a replaced version. It is renamed to a {@code .tmp-} name first: a process killed while deleting then
     * leaves an obviously unfinished folder, never a half-deleted one still named like a complete version.
     */
    private static void discard(Path version, Path target) throws IOException {
        Path doomed = target.resolveSibling(target.getFileName() + ".tmp-discarded-" + System.nanoTime());
        move(version, doomed);
        deleteTree(doomed);
    }

    /** Versions, staging folders and links left behind by a process killed mid-save. */
    private static void removeStaleVersions(Path target, Path current) throws IOException {
        String prefix = target.getFileName() + ".";
        try (Stream<Path> siblings = Files.list(target.toAbsolutePath().getParent())) {
            for (Path p : siblings.toList()) {
                String name = p.getFileName().toString();
                if (p.getFileName().equals(current.getFileName())) continue;
                if (name.startsWith(prefix + "link-") && Files.isSymbolicLink(p)) {
                    Files.deleteIfExists(p);
                } else if (name.startsWith(prefix + "tmp-") && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                } else if ((name.startsWith(prefix + "v") || name.startsWith(prefix + "old-"))
                        && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    discard(p, target);
                }
            }
        }
    }

    /**
     * Forces the staged files and the folder to disk before the rename publishes them. A killed process needs none of
     * this (the kernel still holds its writes); after a power loss, a renamed folder whose small files had not reached
     * the disk yet could come back empty under the new name.
     */
    private static void syncFolder(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                        ch.force(true);
                    }
                }
            }
        }
        syncDirectory(folder);
    }

    private static void syncDirectory(Path dir) throws IOException {
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

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
