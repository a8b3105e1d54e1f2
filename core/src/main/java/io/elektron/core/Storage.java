package io.elektron.core;

/**
 * A flat run of float32 values owned by one backend. Storage is native memory the garbage collector does not see, so
 * every storage has an owner that releases it deterministically: a {@link TensorScope}, a module (parameters), an
 * optimizer (its moments) — or, as a last resort, the JavaCPP deallocator when the storage becomes unreachable.
 */
public abstract class Storage implements AutoCloseable {
    private final long size;

    protected Storage(long size) {
        if (size < 0) throw new IllegalArgumentException("negative storage size " + size);
        this.size = size;
    }

    /** Number of float32 elements. */
    public final long size() {
        return size;
    }

    public abstract Device device();

    public abstract boolean isClosed();

    /** Releases the native memory now. Idempotent. */
    @Override
    public abstract void close();
}
