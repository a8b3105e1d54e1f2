package io.elektron.core.cpu;

import io.elektron.core.Device;
import io.elektron.core.Storage;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Off-heap float32 storage: a JavaCPP {@link FloatPointer} that OpenBLAS reads directly (the preset's float[]
 * overloads copy the whole array on every call), plus a direct {@link FloatBuffer} view for the Java loops. Memory
 * comes from and returns to the {@link StoragePool}.
 */
public final class CpuStorage extends Storage {
    private final FloatPointer pointer;
    private final FloatBuffer buffer;
    private final ByteBuffer bytes;
    private final long sizeClass;
    private boolean closed;

    CpuStorage(long size) {
        super(size);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of " + size + " floats exceeds the CPU backend's limit of "
                    + (Integer.MAX_VALUE - 8) + " elements per storage");
        }
        // At least one element: a zero-length FloatPointer has a null address, which BLAS must never see.
        this.sizeClass = StoragePool.sizeClass(Math.max(1, size));
        FloatPointer reused = StoragePool.INSTANCE.take(sizeClass);
        this.pointer = reused != null ? reused : new FloatPointer(sizeClass);
        if (pointer.isNull()) throw new OutOfMemoryError("could not allocate " + sizeClass * 4 + " bytes of native memory");
        Pointer.memset(pointer.position(0), 0, Math.max(1, size) * Float.BYTES);
        // The buffer view covers exactly the requested size, whatever the size class allocated.
        this.buffer = pointer.limit(Math.max(1, size)).asBuffer();
        // The SIMD kernels address bytes with int offsets: storages over 2 GiB stay on the scalar loops.
        this.bytes = size * Float.BYTES > Integer.MAX_VALUE ? null
                : pointer.asByteBuffer().order(ByteOrder.nativeOrder());
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

    /**
     * A native-order byte view of the same memory (capacity = 4 * size) for the SIMD kernels, or null for a storage
     * too large for int byte offsets.
     */
    public ByteBuffer bytes() {
        if (closed) throw new IllegalStateException("storage of " + size() + " floats used after it was released");
        return bytes;
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
            if (!StoragePool.INSTANCE.give(pointer, sizeClass)) pointer.close();
        }
    }
}
