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
        this(size, true);
    }

    /** With {@code zeroed} false the contents are whatever the memory held (see Backend.allocateUninitialized). */
    CpuStorage(long size, boolean zeroed) {
        super(size);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of " + size + " floats exceeds the CPU backend's limit of "
                    + (Integer.MAX_VALUE - 8) + " elements per storage");
        }
        // At least one element: a zero-length FloatPointer has a null address, which BLAS must never see.
        long requested = StoragePool.sizeClass(Math.max(1, size));
        StoragePool.Reuse reused = StoragePool.INSTANCE.take(requested);
        this.sizeClass = reused != null ? reused.sizeClass() : requested;
        this.pointer = reused != null ? reused.pointer() : new FloatPointer(sizeClass);
        if (pointer.isNull()) throw new OutOfMemoryError("could not allocate " + sizeClass * 4 + " bytes of native memory");
        // The buffer view covers exactly the requested size, whatever the size class allocated.
        this.buffer = pointer.limit(Math.max(1, size)).asBuffer();
        // The SIMD kernels address bytes with int offsets: storages over 2 GiB stay on the scalar loops.
        this.bytes = size * Float.BYTES > Integer.MAX_VALUE ? null
                : pointer.asByteBuffer().order(ByteOrder.nativeOrder());
        if (zeroed) zero(0, Math.max(1, size));
    }

    /**
     * Zeroes n floats from offset: one memset, or for large runs a SIMD fill split over the cores (one memset runs at
     * one core's bandwidth, and a training step zeroes hundreds of megabytes of gradient buffers).
     */
    void zero(long offset, long n) {
        if (n >= ZERO_PARALLEL_FLOATS && Simd.ENABLED && bytes != null) {
            int from = (int) offset;
            CpuThreads.parallelFor((int) n, 1, (i0, i1) -> VectorKernels.fill(bytes, from + i0, from + i1, 0f));
            return;
        }
        Pointer.memset(new Pointer(pointer).position(offset * Float.BYTES), 0, n * Float.BYTES);
    }

    /** Below this many floats splitting a zero fill costs more than it saves. */
    private static final long ZERO_PARALLEL_FLOATS = 1 << 18;

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
