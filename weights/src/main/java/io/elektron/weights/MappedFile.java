package io.elektron.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A checkpoint file opened read-only, handing out little-endian read-only views of byte ranges.
 *
 * <p>A {@link MappedByteBuffer} cannot exceed {@code Integer.MAX_VALUE} bytes, so a file up to that size is mapped
 * once and sliced, while a larger one maps each requested range on its own (the JDK page-aligns the mapping); only
 * a single range over 2 GiB, i.e. one tensor over 2 GiB, is refused. JDK 17 cannot unmap explicitly: mappings are
 * released when their buffers are garbage collected, which is why closing only closes the channel.
 *
 * <p>If another process truncates the file while it is mapped, touching the lost pages raises an
 * {@link InternalError} (SIGBUS); checkpoints are expected not to change while loaded.
 */
final class MappedFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final MappedByteBuffer whole; // null when the file is too large to map at once

    private MappedFile(Path path, FileChannel channel, long size, MappedByteBuffer whole) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.whole = whole;
    }

    static MappedFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            MappedByteBuffer whole = size <= Integer.MAX_VALUE
                    ? channel.map(FileChannel.MapMode.READ_ONLY, 0, size)
                    : null;
            return new MappedFile(path, channel, size, whole);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    /**
     * A read-only little-endian view of {@code [offset, offset + length)}.
     *
     * @throws CheckpointFormatException if the range is not inside the file or is over 2 GiB
     */
    ByteBuffer slice(long offset, long length, String what) throws IOException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new CheckpointFormatException(path, what + ": byte range [" + offset + ", " + offset + " + " + length
                    + ") is outside the file (" + size + " bytes)");
        }
        if (length > Integer.MAX_VALUE) {
            throw new CheckpointFormatException(path, what + ": " + length
                    + " bytes in one piece; a single tensor over 2 GiB (Integer.MAX_VALUE bytes) is not supported");
        }
        ByteBuffer view;
        if (whole != null) {
            view = whole.slice((int) offset, (int) length);
        } else {
            view = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
        }
        return view.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a read-only channel has nothing to flush; a failure here cannot lose data.
        }
    }
}
