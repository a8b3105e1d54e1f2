package io.elektron.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * Reads safetensors files (the format of HF's {@code model.safetensors}) by memory-mapping them: each
 * {@link StoredTensor} is a zero-copy view into the mapping.
 *
 * <p>Everything is validated before {@code open} returns: the header length (within the file, at most 100 MB as in
 * the reference implementation), the header (strict UTF-8, one JSON object, no duplicate keys), every tensor's dtype,
 * shape, and data offsets (inside the data section, {@code end - begin == numel * dtype size} in overflow-checked
 * arithmetic, no two tensors overlapping). Gaps between tensors and trailing bytes are tolerated.
 */
public final class SafetensorsReader {
    /** The reference implementation's limit; a larger length field means a corrupt or hostile file. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private SafetensorsReader() {
    }

    /**
     * Maps and validates {@code file}.
     *
     * @throws CheckpointFormatException if it is not a well-formed safetensors file
     * @throws IOException               if it cannot be read
     */
    public static Checkpoint open(Path file) throws IOException {
        MappedFile mapped = MappedFile.open(file);
        try {
            return read(mapped);
        } catch (IOException | RuntimeException e) {
            mapped.close();
            throw e;
        }
    }

    private static Checkpoint read(MappedFile mapped) throws IOException {
        Path file = mapped.path();
        long fileSize = mapped.size();
        if (fileSize < 8) {
            throw new CheckpointFormatException(file, "truncated: " + fileSize
                    + " bytes, shorter than the 8-byte header length field");
        }
        long headerLength = mapped.slice(0, 8, "header length").getLong(0);
        if (headerLength < 0 || headerLength > fileSize - 8) {
            throw new CheckpointFormatException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " is larger than the file allows (" + fileSize + " bytes: at most " + (fileSize - 8)
                    + "); truncated or not a safetensors file");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointFormatException(file, "header length " + headerLength + " exceeds the "
                    + MAX_HEADER_BYTES + "-byte limit");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        mapped.slice(8, headerLength, "header").get(headerBytes);
        long dataStart = 8 + headerLength;
        SafetensorsHeader header = SafetensorsHeader.parse(file, headerBytes, fileSize - dataStart);

        LinkedHashMap<String, StoredTensor> tensors = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry entry : header.entries()) {
            ByteBuffer bytes = mapped.slice(dataStart + entry.begin(), entry.end() - entry.begin(),
                    "tensor '" + entry.name() + "'");
            tensors.put(entry.name(), new StoredTensor(entry.name(), entry.dtype(), entry.shape(), bytes));
        }
        return new MappedCheckpoint(mapped, tensors, header.metadata());
    }
}
