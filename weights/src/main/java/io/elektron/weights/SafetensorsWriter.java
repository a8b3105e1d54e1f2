package io.elektron.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes safetensors files, atomically: the bytes go to a temporary file next to the target, are forced to disk,
 * and only then renamed over the target. A crash or an error at any point leaves either the old file or the complete
 * new one, never a torn checkpoint; the temporary file is removed on failure.
 *
 * <p>Layout: 8-byte little-endian header length, the JSON header padded with spaces so that the data section starts
 * at a multiple of 8, then the tensors' bytes back to back in the order given (no gaps: the reference reader rejects
 * them). The header lists {@code __metadata__} first, then the tensors in the same order.
 *
 * <p><b>HuggingFace:</b> {@code from_pretrained} refuses a {@code model.safetensors} whose metadata lacks
 * {@code "format": "pt"}; pass {@link #PYTORCH_METADATA} (or a map containing it) when saving for HF.
 *
 * <p>Writing over the file a {@link Checkpoint} was opened from is safe: the rename replaces the directory entry while
 * the open mapping keeps the old contents.
 */
public final class SafetensorsWriter {
    /** The metadata HF's {@code save_pretrained} writes and {@code from_pretrained} requires. */
    public static final Map<String, String> PYTORCH_METADATA = Map.of("format", "pt");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom TEMP_NAMES = new SecureRandom();

    private SafetensorsWriter() {
    }

    /**
     * Writes {@code tensors} (in this order) and {@code metadata} to {@code file}, replacing it if it exists, atomically.
     *
     * @param file     the target, e.g. {@code dir/model.safetensors}; its directory must exist
     * @param tensors  distinct names, none equal to {@code __metadata__}
     * @param metadata string pairs stored as {@code __metadata__}; omitted from the header when empty. Use
     *                 {@link #PYTORCH_METADATA} for HF compatibility.
     * @throws IllegalArgumentException if names repeat or are reserved (nothing is written then)
     * @throws IOException              if writing, syncing or renaming fails (the target is then left untouched)
     */
    public static void write(Path file, List<StoredTensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] header = headerBytes(tensors, metadata);

        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        // Same directory, so the final rename stays inside one file system and can be atomic. Files.createTempFile
        // is avoided because it creates mode 0600, which the renamed checkpoint would keep.
        Path temp = directory.resolve("." + target.getFileName() + "." + Long.toUnsignedString(TEMP_NAMES.nextLong(), 36)
                + ".tmp");
        boolean renamed = false;
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
                writeFully(out, length);
                writeFully(out, ByteBuffer.wrap(header));
                for (StoredTensor tensor : tensors) {
                    writeFully(out, tensor.data());
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            renamed = true;
        } finally {
            if (!renamed) {
                Files.deleteIfExists(temp);
            }
        }
        syncDirectory(directory);
    }

    /** The padded header JSON for {@code tensors} laid out back to back in order. */
    static byte[] headerBytes(List<StoredTensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode metadataNode = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach((key, value) -> metadataNode.put(Objects.requireNonNull(key, "metadata key"),
                    Objects.requireNonNull(value, () -> "metadata value for '" + key + "'")));
        }
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (StoredTensor tensor : tensors) {
            String name = tensor.name();
            if (name.equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor cannot be called " + SafetensorsHeader.METADATA_KEY);
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("tensor name '" + name + "' appears twice");
            }
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", tensor.dtype().safetensorsName());
            ArrayNode shape = entry.putArray("shape");
            Arrays.stream(tensor.shape()).forEach(shape::add);
            long end = Math.addExact(offset, tensor.byteSize());
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of strings and numbers", e);
        }
        // 8 + padded length is a multiple of 8, so the data section (and every F64/I64 tensor laid out after
        // 8-byte-multiple predecessors) is aligned for readers that map it directly.
        int padded = (json.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    /** Makes the rename itself durable; a platform that cannot open directories simply skips it. */
    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open a directory as a channel; the rename has still happened.
        }
    }
}
