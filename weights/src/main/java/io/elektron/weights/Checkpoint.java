package io.elektron.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An opened checkpoint: named tensors plus string metadata, fully validated when opened.
 *
 * <p>Implementations map the file into memory; the {@link StoredTensor} views they return must not be used after
 * {@link #close()} (copy what you keep). Typical use:
 * <pre>{@code
 * try (Checkpoint checkpoint = Checkpoint.open(dir.resolve("model.safetensors"))) {
 *     for (String name : checkpoint.names()) {
 *         checkpoint.get(name).copyFloatsTo(parameterBuffer(name));
 *     }
 * }
 * }</pre>
 */
public interface Checkpoint extends AutoCloseable {

    /**
     * Opens a safetensors file or a PyTorch {@code torch.save} zip archive ({@code pytorch_model.bin}), telling them
     * apart by their first bytes.
     *
     * @throws CheckpointFormatException if the file is malformed or uses an unsupported feature
     * @throws IOException               if it cannot be read
     */
    static Checkpoint open(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(9);
        }
        // safetensors: an 8-byte length, then the JSON header's '{'. Otherwise a zip ("PK") or a legacy bare pickle
        // (0x80) goes to the torch reader, which explains what it refuses; anything else gets safetensors' errors.
        boolean safetensors = head.length == 9 && head[8] == '{';
        boolean torch = head.length >= 2 && ((head[0] == 'P' && head[1] == 'K') || (head[0] & 0xff) == 0x80);
        if (!safetensors && torch) {
            return TorchCheckpointReader.open(file);
        }
        return SafetensorsReader.open(file);
    }

    /** The file this checkpoint was read from. */
    Path file();

    /**
     * Every tensor name, in file order: for safetensors the order of the tensors' bytes in the file, for a torch
     * archive the state dict's insertion order.
     */
    List<String> names();

    /** True if a tensor called {@code name} is present. */
    boolean contains(String name);

    /**
     * The tensor called {@code name}.
     *
     * @throws NoSuchElementException if there is none
     * @throws IllegalStateException  after {@link #close()}
     */
    StoredTensor get(String name);

    /**
     * The string metadata: a safetensors file's {@code __metadata__} (HF writes {@code {"format": "pt"}}), empty for a
     * torch archive.
     */
    Map<String, String> metadata();

    /** Releases the file. Views handed out earlier must not be used afterwards. */
    @Override
    void close();
}
