package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made safetensors files, valid and corrupt; every failure must name the file and what is wrong. */
class SafetensorsReaderTest {
    @TempDir
    Path directory;

    /** length prefix + header + data, the header taken as given (no padding). */
    private Path file(byte[] header, byte[] data) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(header.length).put(header).put(data);
        return Files.write(directory.resolve("model.safetensors"), bytes.array());
    }

    private Path file(String header, int dataBytes) throws IOException {
        return file(header.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    private CheckpointFormatException refused(Path file, String... expectedFragments) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(file, e.file());
        for (String fragment : expectedFragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void readsAHandWrittenFileWithGapsScalarsAndEmptyTensors() throws IOException {
        // Gaps and unsorted header entries are legal for readers; offsets decide the order.
        Path file = file("{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]},"
                + "\"a\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"e\":{\"dtype\":\"F16\",\"shape\":[3,0],\"data_offsets\":[20,20]},"
                + "\"__metadata__\":{\"format\":\"pt\"}}   ", 24);
        try (Checkpoint checkpoint = SafetensorsReader.open(file)) {
            assertEquals(List.of("a", "b", "e"), checkpoint.names());
            assertArrayEquals(new long[0], checkpoint.get("a").shape());
            assertEquals(1, checkpoint.get("a").numel());
            assertEquals(0, checkpoint.get("e").numel());
            assertArrayEquals(new float[] {0, 0}, checkpoint.get("b").toFloatArray());
        }
    }

    @Test
    void fileShorterThanTheLengthField() throws IOException {
        refused(Files.write(directory.resolve("short.safetensors"), new byte[] {1, 2, 3}), "truncated", "3 bytes");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        refused(Files.write(directory.resolve("m.safetensors"), bytes.array()), "header length 1000", "larger than the file");
        bytes.putLong(0, -8); // 2^64 - 8 as an unsigned length
        refused(Files.write(directory.resolve("m.safetensors"), bytes.array()), "18446744073709551608");
    }

    @Test
    void headerLengthOverTheHundredMegabyteLimit() throws IOException {
        Path file = directory.resolve("sparse.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(150_000_100L); // sparse: costs no disk
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(150_000_000L).array());
        }
        refused(file, "header length 150000000 exceeds the 100000000-byte limit");
    }

    @Test
    void truncatedDataSection() throws IOException {
        Path original = TestResources.path("fixtures/tiny/model.safetensors");
        byte[] bytes = Files.readAllBytes(original);
        Path truncated = Files.write(directory.resolve("truncated.safetensors"), Arrays.copyOf(bytes, bytes.length - 100));
        refused(truncated, "out of range", "truncated?");
        Path headerCut = Files.write(directory.resolve("cut.safetensors"), Arrays.copyOf(bytes, 200));
        refused(headerCut, "larger than the file");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 12),
                "tensor 'w'", "[8, 16] out of range", "12 bytes");
    }

    @Test
    void overlappingOffsets() throws IOException {
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "'a' [0, 8)", "'b' [4, 12)", "overlap");
    }

    @Test
    void sizeMismatchBetweenShapeAndOffsets() throws IOException {
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "size mismatch", "needs 12 bytes", "span 8");
    }

    @Test
    void shapeWhoseByteCountOverflows() throws IOException {
        refused(file("{\"w\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8),
                "tensor 'w'", "overflows");
    }

    @Test
    void unknownDtype() throws IOException {
        refused(file("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
                "tensor 'w'", "unknown or unsupported dtype \"F8_E4M3\"", "BF16");
    }

    @Test
    void nonJsonHeader() throws IOException {
        refused(file("{\"w\": not json}", 0), "not valid JSON");
        refused(file("this is not json", 0), "must be a JSON object", "found 't'");
        refused(file("[1, 2]", 0), "must be a JSON object", "found '['");
        refused(file("{} trailing", 0), "not valid JSON");
        refused(file("", 0), "found nothing");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        byte[] header = "{\"w\u00e9\":1}".getBytes(StandardCharsets.ISO_8859_1); // a lone 0xE9
        refused(file(header, new byte[0]), "not valid UTF-8", "0xe9", "header offset 3");
    }

    @Test
    void duplicateTensorNames() throws IOException {
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "Duplicate field 'w'");
    }

    @Test
    void malformedEntries() throws IOException {
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8), "begin > end");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 8), "\"shape\"[0]", "non-negative");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 8), "\"shape\"[0]");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 8), "missing or non-array \"data_offsets\"");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 8), "must have 2 elements");
        refused(file("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 8), "missing or non-string \"dtype\"");
        refused(file("{\"w\":[1]}", 8), "tensor 'w'", "expected an object");
        refused(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 8),
                "\"data_offsets\"[1]");
    }

    @Test
    void metadataMustBeStrings() throws IOException {
        refused(file("{\"__metadata__\":{\"format\":1}}", 0), "__metadata__.format", "expected a string");
        refused(file("{\"__metadata__\":[\"pt\"]}", 0), "__metadata__ must be an object");
    }

    @Test
    void checkpointOpenRecognisesSafetensorsWithAnAwkwardLengthByte() throws IOException {
        // A header length whose low byte is 0x80 must not be mistaken for a legacy torch pickle.
        String padded = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        padded = padded + " ".repeat(0x80 - padded.length());
        try (Checkpoint checkpoint = Checkpoint.open(file(padded, 4))) {
            assertEquals(List.of("w"), checkpoint.names());
        }
    }
}
