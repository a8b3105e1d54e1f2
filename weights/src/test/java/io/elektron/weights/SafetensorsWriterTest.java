package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir
    Path directory;

    private static List<StoredTensor> mixedTensors() {
        ByteBuffer flags = ByteBuffer.wrap(new byte[] {1, 0, 1});
        return List.of(
                StoredTensor.ofFloats("encoder.weight", new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.NaN, -0f, 1e-40f}),
                new StoredTensor("mask", DType.BOOL, new long[] {3}, flags), // 3 bytes: later tensors are unaligned
                StoredTensor.ofFloats("half", DType.F16, new long[] {2}, new float[] {1f, -2f}),
                StoredTensor.ofFloats("brain", DType.BF16, new long[] {1, 2}, new float[] {1f, 0.5f}),
                StoredTensor.ofLongs("position_ids", new long[] {1, 4}, new long[] {0, 1, 2, 3}),
                StoredTensor.ofFloats("scalar", new long[0], new float[] {42f}),
                StoredTensor.ofFloats("empty", new long[] {0, 7}, new float[0]));
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    @Test
    void roundTripIsBitExactWithMetadataAndOrder() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Map<String, String> metadata = new LinkedHashMap<>(SafetensorsWriter.PYTORCH_METADATA);
        metadata.put("note", "ünïcödé ✓");
        List<StoredTensor> tensors = mixedTensors();
        SafetensorsWriter.write(file, tensors, metadata);

        try (Checkpoint checkpoint = SafetensorsReader.open(file)) {
            assertEquals(tensors.stream().map(StoredTensor::name).toList(), checkpoint.names());
            assertEquals(metadata, checkpoint.metadata());
            for (StoredTensor tensor : tensors) {
                assertEquals(tensor, checkpoint.get(tensor.name()));
            }
            // NaN payloads, -0 and subnormals survive: the comparison is on bits.
            float[] values = checkpoint.get("encoder.weight").toFloatArray();
            assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(values[3]));
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(values[4]));
            assertEquals(1e-40f, values[5]);
        }
        assertEquals(List.of(), leftovers());
    }

    @Test
    void layoutFollowsTheReferenceRulesAlignedHeaderAndContiguousData() throws IOException {
        Path file = directory.resolve("model.safetensors");
        List<StoredTensor> tensors = mixedTensors();
        SafetensorsWriter.write(file, tensors, SafetensorsWriter.PYTORCH_METADATA);
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertEquals(0, (8 + headerLength) % 8, "data section starts 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"}"), header);
        assertEquals(header.strip().length(), header.stripTrailing().length());
        assertTrue(header.stripTrailing().endsWith("}"));

        JsonNode json = new ObjectMapper().readTree(header);
        long expectedBegin = 0;
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        fields.next(); // __metadata__
        for (StoredTensor tensor : tensors) {
            Map.Entry<String, JsonNode> field = fields.next();
            assertEquals(tensor.name(), field.getKey());
            assertEquals(expectedBegin, field.getValue().get("data_offsets").get(0).asLong());
            expectedBegin += tensor.byteSize();
            assertEquals(expectedBegin, field.getValue().get("data_offsets").get(1).asLong());
        }
        assertEquals(bytes.length, 8 + headerLength + expectedBegin, "no gaps, no trailing bytes");
    }

    @Test
    void emptyMetadataIsOmittedFromTheHeader() throws IOException {
        Path file = directory.resolve("plain.safetensors");
        SafetensorsWriter.write(file, List.of(StoredTensor.ofFloats("w", new long[] {1}, new float[] {1})), Map.of());
        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).contains("__metadata__"));
        try (Checkpoint checkpoint = SafetensorsReader.open(file)) {
            assertEquals(Map.of(), checkpoint.metadata());
        }
    }

    @Test
    void successReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Files.writeString(file, "old contents");
        SafetensorsWriter.write(file, mixedTensors(), SafetensorsWriter.PYTORCH_METADATA);
        try (Checkpoint checkpoint = SafetensorsReader.open(file)) {
            assertEquals(7, checkpoint.names().size());
        }
        assertEquals(List.of(), leftovers());
    }

    @Test
    void invalidInputLeavesTheExistingFileUntouched() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Files.writeString(file, "old contents");
        StoredTensor tensor = StoredTensor.ofFloats("w", new long[] {1}, new float[] {1});
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(file, List.of(tensor, tensor), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(file, List.of(tensor.withName("__metadata__")), Map.of()));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("format", null);
        assertThrows(NullPointerException.class, () -> SafetensorsWriter.write(file, List.of(tensor), nullValue));
        assertEquals("old contents", Files.readString(file));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aFailedRenameRemovesTheTemporaryFileAndKeepsTheTarget() throws IOException {
        // A non-empty directory cannot be replaced by a file: the data is written and synced, the rename fails.
        Path target = Files.createDirectory(directory.resolve("model.safetensors"));
        Files.writeString(target.resolve("keep.txt"), "still here");
        assertThrows(IOException.class, () -> SafetensorsWriter.write(target,
                List.of(StoredTensor.ofFloats("w", new long[] {1}, new float[] {1})), Map.of()));
        assertEquals("still here", Files.readString(target.resolve("keep.txt")));
        assertEquals(List.of(), leftovers());
    }

    @Test
    void overwritingTheFileACheckpointIsReadingFromKeepsItsViewsValid() throws IOException {
        Path file = directory.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(StoredTensor.ofFloats("w", new long[] {2}, new float[] {1, 2})), Map.of());
        try (Checkpoint old = SafetensorsReader.open(file)) {
            StoredTensor oldWeight = old.get("w");
            SafetensorsWriter.write(file, List.of(StoredTensor.ofFloats("w", new long[] {2}, new float[] {3, 4})), Map.of());
            assertArrayEquals(new float[] {1, 2}, oldWeight.toFloatArray()); // the rename left the old inode alone
        }
        try (Checkpoint fresh = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {3, 4}, fresh.get("w").toFloatArray());
        }
    }

    @Test
    void closedCheckpointsRefuseLookups() throws IOException {
        Path file = directory.resolve("model.safetensors");
        SafetensorsWriter.write(file, mixedTensors(), Map.of());
        Checkpoint checkpoint = SafetensorsReader.open(file);
        checkpoint.close();
        assertThrows(IllegalStateException.class, () -> checkpoint.get("mask"));
        try (Checkpoint reopened = SafetensorsReader.open(file)) {
            assertThrows(java.util.NoSuchElementException.class, () -> reopened.get("missing"));
        }
    }
}
