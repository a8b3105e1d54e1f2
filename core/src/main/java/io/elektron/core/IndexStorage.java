package io.elektron.core;

/**
 * A flat run of int32 indices owned by one backend: token ids for an embedding gather, row numbers for a row gather,
 * class ids for cross-entropy. Kept apart from {@link Storage} (float32) so that a kernel can never read ids as
 * floats. An op uploads its indices once ({@link Backend#uploadIndices}) and its backward reuses them; like float
 * storage, index storage belongs to the {@link TensorScope} open when it was uploaded.
 */
public abstract class IndexStorage implements AutoCloseable {
    private final int size;

    protected IndexStorage(int size) {
        if (size < 0) throw new IllegalArgumentException("negative index storage size " + size);
        this.size = size;
        TensorScope.track(this);
    }

    /** Number of indices. */
    public final int size() {
        return size;
    }

    public abstract Device device();

    public abstract boolean isClosed();

    /** Releases the memory now (stream-ordered, see {@link Backend#synchronize()}). Idempotent. */
    @Override
    public abstract void close();
}
