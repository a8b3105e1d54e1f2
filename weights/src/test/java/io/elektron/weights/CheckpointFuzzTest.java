package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.elektron.weights.TorchUnpickler.StorageRef;
import io.elektron.weights.TorchUnpickler.TensorRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of every checkpoint parser. Contract: any input either opens, with every tensor
 * readable, or fails with a {@link CheckpointFormatException} that names the file; any other throwable (an unchecked
 * exception, an {@link OutOfMemoryError} from a lying size field) or a run over the timeout is a finding.
 *
 * <p>{@code mvn test} runs only the committed seeds ({@code src/test/resources/io/elektron/weights/
 * CheckpointFuzzTestInputs/<method>/}); {@code JAZZER_FUZZ=1} fuzzes one method (see docs/reliability.md).
 */
class CheckpointFuzzTest {
    /** Storages the pickle target writes are capped, so that a lying numel meets a short entry instead of a 2 GiB one. */
    private static final int MAX_STORAGE_BYTES = 1 << 16;

    // Header keys and dtypes: a hash-map lookup hides them from the fuzzer's comparison tracing.
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"F16\"",
        "\"BF16\"", "\"I64\"", "\"BOOL\"", "\"F64\"", "\"U8\"", "\"format\"", "\"pt\"", "9223372036854775807",
        "18446744073709551615"})
    @FuzzTest
    @Timeout(10)
    void checkpointOpen(byte[] file) throws IOException {
        openAndReadAll(FuzzFiles.write("model.bin", file), Checkpoint::open);
    }

    @FuzzTest
    @Timeout(10)
    void torchArchive(byte[] file) throws IOException {
        openAndReadAll(FuzzFiles.write("pytorch_model.bin", file), TorchCheckpointReader::open);
    }

    /**
     * The safetensors header is JSON behind a length prefix. Here the input is the size of the data section (two
     * bytes, little-endian, at most 4095) followed by the header text; the target frames them correctly, so that
     * mutations reach the header's semantics instead of breaking the length field.
     */
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"F16\"",
        "\"BF16\"", "\"I64\"", "\"BOOL\"", "\"F64\"", "\"U8\"", "\"format\"", "\"pt\"", "9223372036854775807",
        "18446744073709551615"})
    @FuzzTest
    @Timeout(10)
    void safetensorsHeader(byte[] input) throws IOException {
        if (input.length < 2) {
            return;
        }
        int dataBytes = ((input[0] & 0xff) | (input[1] & 0xff) << 8) & 0xfff;
        int headerLength = input.length - 2;
        ByteBuffer bytes = ByteBuffer.allocate(8 + headerLength + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(headerLength).put(input, 2, headerLength).put(pattern(dataBytes));
        openAndReadAll(FuzzFiles.write("model.safetensors", bytes.array()), SafetensorsReader::open);
    }

    /**
     * The CRC-32 of every zip entry would stop most mutations of a whole archive at the checksum, so here the fuzzer
     * writes only {@code data.pkl}. The restricted unpickler must accept it or refuse it; if it yields a state dict,
     * the target packs it into a valid archive with every storage it names (capped at {@value #MAX_STORAGE_BYTES}
     * bytes, so a lying numel meets a short entry) and opens that.
     */
    @FuzzTest
    @Timeout(10)
    void torchPickle(byte[] pickle) throws IOException {
        Path where = Path.of("fuzz/data.pkl");
        Object root;
        try {
            root = TorchUnpickler.load(where, "fuzz/data.pkl", ByteBuffer.wrap(pickle));
        } catch (CheckpointFormatException e) {
            assertEquals(where, e.file());
            return;
        }
        TorchArchiveBuilder archive = new TorchArchiveBuilder("fuzz").pickle(pickle);
        if (root instanceof Map<?, ?> stateDict) {
            Map<String, byte[]> storages = new LinkedHashMap<>();
            for (Object value : stateDict.values()) {
                if (value instanceof TensorRef tensor) {
                    StorageRef storage = tensor.storage();
                    if (storage.key().length() > 200 || storage.key().indexOf('\0') >= 0) {
                        return; // not a name the zip writer of this harness can store
                    }
                    long bytes = Math.min(MAX_STORAGE_BYTES, storage.numel() * (long) storage.dtype().byteSize());
                    storages.putIfAbsent(storage.key(), pattern(bytes < 0 ? MAX_STORAGE_BYTES : (int) bytes));
                }
            }
            storages.forEach(archive::storage);
        }
        openAndReadAll(FuzzFiles.write("pytorch_model.bin", archive.bytes()), TorchCheckpointReader::open);
    }

    private interface Opener {
        Checkpoint open(Path file) throws IOException;
    }

    /** Opens {@code file}; on success every tensor must be readable, on failure the exception must name the file. */
    private static void openAndReadAll(Path file, Opener opener) {
        Checkpoint checkpoint;
        try {
            checkpoint = opener.open(file);
        } catch (CheckpointFormatException e) {
            assertEquals(file, e.file());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("only CheckpointFormatException is expected for a readable file", e);
        }
        try (checkpoint) {
            for (String name : checkpoint.names()) {
                StoredTensor tensor = checkpoint.get(name);
                assertEquals(tensor.numel() * tensor.dtype().byteSize(), tensor.byteSize(), name);
                if (tensor.dtype().isFloatingPoint()) {
                    tensor.toFloatArray();
                } else {
                    tensor.toLongArray();
                }
            }
            checkpoint.metadata().forEach((key, value) -> assertTrue(key != null && value != null));
        }
    }

    private static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 131 + 17);
        }
        return bytes;
    }

    /**
     * Input files in one scratch directory per JVM. Each input gets a fresh name and the previous file is deleted: a
     * file still mapped by an earlier (closed but not yet collected) checkpoint is never truncated under its mapping.
     */
    static final class FuzzFiles {
        private static final Path DIRECTORY = createDirectory();
        private static final AtomicLong COUNTER = new AtomicLong();
        private static Path previous;

        private FuzzFiles() {
        }

        static synchronized Path write(String name, byte[] bytes) throws IOException {
            if (previous != null) {
                Files.deleteIfExists(previous);
            }
            previous = Files.write(DIRECTORY.resolve(COUNTER.incrementAndGet() + "-" + name), bytes);
            return previous;
        }

        private static Path createDirectory() {
            try {
                Path directory = Files.createTempDirectory("elektron-fuzz-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try (var files = Files.list(directory)) {
                        for (Path file : (Iterable<Path>) files::iterator) {
                            Files.deleteIfExists(file);
                        }
                        Files.deleteIfExists(directory);
                    } catch (IOException ignored) {
                        // a leftover scratch file in the temp directory is harmless
                    }
                }));
                return directory;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
