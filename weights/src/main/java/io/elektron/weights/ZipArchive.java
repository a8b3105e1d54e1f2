package io.elektron.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The entries of a memory-mapped zip archive, located through the central directory, so that uncompressed
 * ("stored") entries can be handed out as zero-copy views.
 *
 * <p>{@code java.util.zip.ZipFile} would copy every entry onto the heap and hides where an entry's bytes start; a
 * torch.save archive stores everything uncompressed (and 64-byte aligned) precisely so that it can be mapped. ZIP64
 * records (which torch always writes) are understood; split archives, encryption and compressed entries are not.
 * Every size and offset read from the archive is checked against the file size before it is used, so a lying field
 * yields a {@link CheckpointFormatException}, never a huge allocation.
 */
final class ZipArchive {
    private static final int LOCAL_HEADER_SIGNATURE = 0x04034b50;
    private static final int CENTRAL_HEADER_SIGNATURE = 0x02014b50;
    private static final int END_SIGNATURE = 0x06054b50;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int END_RECORD_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_END_RECORD_SIZE = 56;
    private static final int CENTRAL_HEADER_SIZE = 46;
    private static final int LOCAL_HEADER_SIZE = 30;
    private static final int MAX_COMMENT = 0xffff;
    private static final int METHOD_STORED = 0;

    /** One entry: its uncompressed bytes are {@code [dataOffset, dataOffset + size)} of the file. */
    record Entry(String name, int method, long dataOffset, long size, int crc32) {
    }

    private final MappedFile file;
    private final Map<String, Entry> entries;

    private ZipArchive(MappedFile file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads and validates the central directory and every entry's local header. */
    static ZipArchive read(MappedFile file) throws IOException {
        Path path = file.path();
        long size = file.size();
        if (size < END_RECORD_SIZE) {
            throw new CheckpointFormatException(path, "truncated zip archive: " + size
                    + " bytes, too short for an end-of-central-directory record");
        }
        long endOffset = findEndRecord(file);
        ByteBuffer end = file.slice(endOffset, END_RECORD_SIZE, "end-of-central-directory record");
        int thisDisk = unsignedShort(end, 4);
        int directoryDisk = unsignedShort(end, 6);
        long entryCount = unsignedShort(end, 10);
        long directorySize = unsignedInt(end, 12);
        long directoryOffset = unsignedInt(end, 16);
        long directoryLimit = endOffset; // the central directory must end before the records that describe it

        if (endOffset >= ZIP64_LOCATOR_SIZE) {
            ByteBuffer locator = file.slice(endOffset - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE, "zip64 locator");
            if (locator.getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
                long zip64EndOffset = locator.getLong(8);
                if (zip64EndOffset < 0 || zip64EndOffset > endOffset - ZIP64_LOCATOR_SIZE - ZIP64_END_RECORD_SIZE) {
                    throw new CheckpointFormatException(path, "zip64 end record offset " + zip64EndOffset
                            + " is outside the archive (" + size + " bytes)");
                }
                ByteBuffer zip64End = file.slice(zip64EndOffset, ZIP64_END_RECORD_SIZE, "zip64 end record");
                if (zip64End.getInt(0) != ZIP64_END_SIGNATURE) {
                    throw new CheckpointFormatException(path, "no zip64 end record at offset " + zip64EndOffset
                            + " where the zip64 locator points");
                }
                thisDisk = zip64End.getInt(16);
                directoryDisk = zip64End.getInt(20);
                entryCount = zip64End.getLong(32);
                directorySize = zip64End.getLong(40);
                directoryOffset = zip64End.getLong(48);
                directoryLimit = zip64EndOffset;
            }
        }
        if (thisDisk != 0 || directoryDisk != 0) {
            throw new CheckpointFormatException(path, "split (multi-disk) zip archives are not supported");
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset > directoryLimit
                || directorySize > directoryLimit - directoryOffset) {
            throw new CheckpointFormatException(path, "central directory [" + directoryOffset + ", +" + directorySize
                    + ") does not fit before its end record at " + directoryLimit + " (truncated archive?)");
        }
        if (entryCount < 0 || entryCount > directorySize / CENTRAL_HEADER_SIZE) {
            throw new CheckpointFormatException(path, "central directory claims " + entryCount + " entries, but "
                    + directorySize + " bytes hold at most " + directorySize / CENTRAL_HEADER_SIZE);
        }
        ByteBuffer directory = file.slice(directoryOffset, directorySize, "central directory");
        Map<String, Entry> entries = new LinkedHashMap<>();
        int position = 0;
        for (long i = 0; i < entryCount; i++) {
            Entry entry = readCentralHeader(file, directory, position, directoryOffset);
            if (entries.put(entry.name(), entry) != null) {
                throw new CheckpointFormatException(path, "zip entry '" + entry.name() + "' appears twice");
            }
            position += CENTRAL_HEADER_SIZE + unsignedShort(directory, position + 28)
                    + unsignedShort(directory, position + 30) + unsignedShort(directory, position + 32);
        }
        return new ZipArchive(file, Collections.unmodifiableMap(entries));
    }

    /** The end record is 22 bytes plus a comment of up to 65535 bytes, so it is searched for from the end. */
    private static long findEndRecord(MappedFile file) throws IOException {
        long size = file.size();
        long searchStart = Math.max(0, size - END_RECORD_SIZE - MAX_COMMENT);
        ByteBuffer tail = file.slice(searchStart, size - searchStart, "archive tail");
        for (int at = tail.limit() - END_RECORD_SIZE; at >= 0; at--) {
            if (tail.getInt(at) == END_SIGNATURE && at + END_RECORD_SIZE + unsignedShort(tail, at + 20) == tail.limit()) {
                return searchStart + at;
            }
        }
        throw new CheckpointFormatException(file.path(), "not a zip archive or truncated: no end-of-central-directory"
                + " record in the last " + tail.limit() + " bytes");
    }

    private static Entry readCentralHeader(MappedFile file, ByteBuffer directory, int position, long directoryOffset)
            throws IOException {
        Path path = file.path();
        if (position > directory.limit() - CENTRAL_HEADER_SIZE || directory.getInt(position) != CENTRAL_HEADER_SIGNATURE) {
            throw new CheckpointFormatException(path, "corrupt central directory: no entry header at offset "
                    + (directoryOffset + position));
        }
        int flags = unsignedShort(directory, position + 8);
        int method = unsignedShort(directory, position + 10);
        int crc32 = directory.getInt(position + 16);
        long compressedSize = unsignedInt(directory, position + 20);
        long size = unsignedInt(directory, position + 24);
        int nameLength = unsignedShort(directory, position + 28);
        int extraLength = unsignedShort(directory, position + 30);
        int commentLength = unsignedShort(directory, position + 32);
        long localHeaderOffset = unsignedInt(directory, position + 42);
        int nameStart = position + CENTRAL_HEADER_SIZE;
        if ((long) nameStart + nameLength + extraLength + commentLength > directory.limit()) {
            throw new CheckpointFormatException(path, "corrupt central directory: entry at offset "
                    + (directoryOffset + position) + " runs past the directory's end");
        }
        byte[] nameBytes = new byte[nameLength];
        directory.get(nameStart, nameBytes);
        String name = new String(nameBytes, StandardCharsets.UTF_8);

        // ZIP64: fields saturated at 0xFFFFFFFF are in extra block 0x0001, in this order, only if saturated.
        int extra = nameStart + nameLength;
        int extraEnd = extra + extraLength;
        while (extra + 4 <= extraEnd) {
            int id = unsignedShort(directory, extra);
            int length = unsignedShort(directory, extra + 2);
            if (extra + 4 + length > extraEnd) {
                throw new CheckpointFormatException(path, "zip entry '" + name + "': extra field runs past its end");
            }
            if (id == 0x0001) {
                int field = extra + 4;
                int fieldEnd = field + length;
                if (size == 0xffffffffL) {
                    size = zip64Field(path, name, directory, field, fieldEnd);
                    field += 8;
                }
                if (compressedSize == 0xffffffffL) {
                    compressedSize = zip64Field(path, name, directory, field, fieldEnd);
                    field += 8;
                }
                if (localHeaderOffset == 0xffffffffL) {
                    localHeaderOffset = zip64Field(path, name, directory, field, fieldEnd);
                }
            }
            extra += 4 + length;
        }
        if ((flags & 1) != 0) {
            throw new CheckpointFormatException(path, "zip entry '" + name + "' is encrypted");
        }
        if (method == METHOD_STORED && compressedSize != size) {
            throw new CheckpointFormatException(path, "zip entry '" + name + "' is stored but its sizes differ: "
                    + compressedSize + " compressed vs " + size);
        }
        if (localHeaderOffset < 0 || localHeaderOffset > directoryOffset - LOCAL_HEADER_SIZE) {
            throw new CheckpointFormatException(path, "zip entry '" + name + "': local header offset "
                    + localHeaderOffset + " is not before the central directory at " + directoryOffset);
        }
        ByteBuffer local = file.slice(localHeaderOffset, LOCAL_HEADER_SIZE, "local header of '" + name + "'");
        if (local.getInt(0) != LOCAL_HEADER_SIGNATURE) {
            throw new CheckpointFormatException(path, "zip entry '" + name + "': no local header at offset "
                    + localHeaderOffset);
        }
        int localNameLength = unsignedShort(local, 26);
        int localExtraLength = unsignedShort(local, 28);
        long dataOffset = localHeaderOffset + LOCAL_HEADER_SIZE + localNameLength + localExtraLength;
        if (localNameLength != nameLength || dataOffset > directoryOffset || compressedSize > directoryOffset - dataOffset) {
            throw new CheckpointFormatException(path, "zip entry '" + name + "': data [" + dataOffset + ", +"
                    + compressedSize + ") does not fit before the central directory at " + directoryOffset
                    + " (truncated or corrupt archive)");
        }
        ByteBuffer localName = file.slice(localHeaderOffset + LOCAL_HEADER_SIZE, nameLength, "local name");
        if (!localName.equals(ByteBuffer.wrap(nameBytes))) {
            throw new CheckpointFormatException(path, "zip entry '" + name
                    + "': the local header names a different file than the central directory");
        }
        return new Entry(name, method, dataOffset, compressedSize, crc32);
    }

    private static long zip64Field(Path path, String name, ByteBuffer directory, int field, int fieldEnd)
            throws CheckpointFormatException {
        if (field + 8 > fieldEnd) {
            throw new CheckpointFormatException(path, "zip entry '" + name + "': zip64 extra field too short");
        }
        long value = directory.getLong(field);
        if (value < 0) {
            throw new CheckpointFormatException(path, "zip entry '" + name + "': zip64 size or offset " +
                    Long.toUnsignedString(value) + " is out of range");
        }
        return value;
    }

    /** All entries, in central-directory order. */
    Collection<Entry> entries() {
        return entries.values();
    }

    /** The entry called {@code name}, if present. */
    Optional<Entry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /**
     * A zero-copy view of a stored entry's bytes, after checking them against the entry's CRC-32 (which catches
     * bit rot and most hand-edited archives).
     */
    ByteBuffer read(Entry entry) throws IOException {
        if (entry.method() != METHOD_STORED) {
            throw new CheckpointFormatException(file.path(), "zip entry '" + entry.name() + "' is compressed (method "
                    + entry.method() + "); torch.save writes uncompressed (stored) entries");
        }
        ByteBuffer bytes = file.slice(entry.dataOffset(), entry.size(), "zip entry '" + entry.name() + "'");
        CRC32 crc = new CRC32();
        crc.update(bytes.duplicate());
        if ((int) crc.getValue() != entry.crc32()) {
            throw new CheckpointFormatException(file.path(), "zip entry '" + entry.name() + "' is corrupt: CRC-32 "
                    + String.format("%08x", (int) crc.getValue()) + ", expected " + String.format("%08x", entry.crc32()));
        }
        return bytes;
    }

    private static int unsignedShort(ByteBuffer buffer, int at) {
        return Short.toUnsignedInt(buffer.getShort(at));
    }

    private static long unsignedInt(ByteBuffer buffer, int at) {
        return Integer.toUnsignedLong(buffer.getInt(at));
    }
}
