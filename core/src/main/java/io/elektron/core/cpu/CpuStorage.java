package io.elektron.core.cpu;

import io.elektron.core.Device;
import io.elektron.core.Storage;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.FloatBuffer;

/**
 * Off-heap float32 storage: a JavaCPP {@link FloatPointer} that OpenBLAS reads directly (the preset's float[]
 * overloads copy the whole array on every call), plus a direct {@link FloatBuffer} view for the Java loops.
 */
public final class CpuStorage extends Storage {
    private final FloatPointer pointer;
    private final FloatBuffer buffer;
    private boolean closed;

    CpuStorage(long size) {
        super(size);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of " + size + " floats exceeds the CPU backend's limit of "
                    + (Integer.MAX_VALUE - 8) + " elements per storage");
        }
        // At least one element: a zero-length FloatPointer has a null address, which BLAS must never see.
        long allocated = Math.max(1, size);
        this.pointer = new FloatPointer(allocated);
        if (pointer.isNull()) throw new OutOfMemoryError("could not allocate " + allocated * 4 + " bytes of native memory");
        Pointer.memset(pointer, 0, allocated * Float.BYTES);
        this.buffer = pointer.asBuffer();
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    /** The direct buffer view (position 0, capacity = size). Never cache it past {@link #close()}. */
    public FloatBuffer buffer() {
        if (closed) throw new IllegalStateException("storage of " + size() + " floats used after it was released");
        return buffer;
    }

    /** The native pointer for BLAS calls. */
    public FloatPointer pointer() {
        if (closed) throw new IllegalStateException("storage of " + size() + " floats used after it was released");
        return pointer;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pointer.close();
        }
    }
}
