package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files over 2 GiB, where one MappedByteBuffer cannot cover the file: tensors past offset 2^31 must still read, and a
 * single tensor over 2 GiB must fail clearly. The files are sparse (a few bytes on disk).
 */
class LargeFileTest {
    private static final long FAR = 2_600_000_000L; // past Integer.MAX_VALUE

    @TempDir
    Path directory;

    private Path sparseSafetensors(String header, long dataSectionSize) throws IOException {
        assumeTrue(Files.getFileStore(directory).getUsableSpace() > 4L << 30, "needs room in case files are not sparse");
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        Path file = directory.resolve("large.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + headerBytes.length + dataSectionSize);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            raf.write(headerBytes);
            raf.seek(8 + headerBytes.length + FAR);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f).array());
        }
        return file;
    }

    @Test
    void tensorsBeyondTwoGibibytesAreReadThroughTheirOwnMapping() throws IOException {
        Path file = sparseSafetensors("{\"near\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"far\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + FAR + "," + (FAR + 8) + "]}}", FAR + 8);
        try (Checkpoint checkpoint = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {0, 0}, checkpoint.get("near").toFloatArray());
            assertArrayEquals(new float[] {1.5f, -2f}, checkpoint.get("far").toFloatArray());
        }
    }

    @Test
    void aSingleTensorOverTwoGibibytesIsRefusedClearly() throws IOException {
        long huge = 2_200_000_000L;
        Path file = sparseSafetensors("{\"huge\":{\"dtype\":\"U8\",\"shape\":[" + huge + "],\"data_offsets\":[8,"
                + (8 + huge) + "]}}", FAR + 8);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SafetensorsReader.open(file));
        assertTrue(e.getMessage().contains("tensor 'huge'") && e.getMessage().contains("over 2 GiB"), e.getMessage());
    }
}
