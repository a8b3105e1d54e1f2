package io.elektron.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds torch.save-style zip archives ({@code <archive>/data.pkl}, {@code <archive>/data/<key>}) for tests. */
final class TorchArchiveBuilder {
    private final String archive;
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private final Map<String, Integer> methods = new LinkedHashMap<>();

    TorchArchiveBuilder(String archive) {
        this.archive = archive;
        entries.put(archive + "/version", "3\n".getBytes());
    }

    TorchArchiveBuilder pickle(byte[] pickle) {
        return entry("data.pkl", pickle);
    }

    TorchArchiveBuilder storage(String key, byte[] bytes) {
        return entry("data/" + key, bytes);
    }

    TorchArchiveBuilder floatStorage(String key, float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return storage(key, bytes.array());
    }

    /** An entry under the archive folder, stored uncompressed as torch.save writes them. */
    TorchArchiveBuilder entry(String relativeName, byte[] bytes) {
        entries.put(archive + "/" + relativeName, bytes);
        methods.put(archive + "/" + relativeName, ZipEntry.STORED);
        return this;
    }

    /** An entry that is deflate-compressed, which torch.save never writes. */
    TorchArchiveBuilder compressedEntry(String relativeName, byte[] bytes) {
        entries.put(archive + "/" + relativeName, bytes);
        methods.put(archive + "/" + relativeName, ZipEntry.DEFLATED);
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(buffer)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                ZipEntry zipEntry = new ZipEntry(entry.getKey());
                int method = methods.getOrDefault(entry.getKey(), ZipEntry.STORED);
                zipEntry.setMethod(method);
                if (method == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(entry.getValue());
                    zipEntry.setSize(entry.getValue().length);
                    zipEntry.setCompressedSize(entry.getValue().length);
                    zipEntry.setCrc(crc.getValue());
                }
                zip.putNextEntry(zipEntry);
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    Path writeTo(Path file) throws IOException {
        return Files.write(file, bytes());
    }
}
