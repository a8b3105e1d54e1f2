package io.elektron.core.cpu;

import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator for CPU storages. A training step allocates the same few hundred activation and gradient
 * buffers every time; freeing them to malloc and asking again costs page faults on every touch (megabyte buffers come
 * from fresh mmap'd pages). Released buffers are kept here by size class and handed out again.
 *
 * <p>Size classes round a request up by at most 1/8 (8 classes per power of two), so batches padded to different
 * lengths still share buffers. The pool holds at most {@code elektron.pool.bytes} (default 2 GiB) of idle buffers;
 * beyond that, released buffers are freed.
 */
final class StoragePool {
    static final StoragePool INSTANCE = new StoragePool(Long.getLong("elektron.pool.bytes", 2L << 30));

    private final long maxIdleBytes;
    private final Map<Long, ArrayDeque<FloatPointer>> idle = new HashMap<>();
    private long idleBytes;

    StoragePool(long maxIdleBytes) {
        this.maxIdleBytes = maxIdleBytes;
    }

    /** The element count actually allocated for a request of n elements. */
    static long sizeClass(long n) {
        if (n <= 64) return 64;
        long top = Long.highestOneBit(n);
        long step = Math.max(1, top >> 3);
        return (n + step - 1) / step * step;
    }

    /** A pooled buffer of exactly {@code sizeClass} elements, or null. */
    synchronized FloatPointer take(long sizeClass) {
        ArrayDeque<FloatPointer> q = idle.get(sizeClass);
        if (q == null || q.isEmpty()) return null;
        idleBytes -= sizeClass * Float.BYTES;
        return q.pop();
    }

    /** Keeps a released buffer for reuse; false when the pool is full (the caller frees it). */
    synchronized boolean give(FloatPointer pointer, long sizeClass) {
        long bytes = sizeClass * Float.BYTES;
        if (idleBytes + bytes > maxIdleBytes) return false;
        idle.computeIfAbsent(sizeClass, k -> new ArrayDeque<>()).push(pointer);
        idleBytes += bytes;
        return true;
    }

    synchronized long idleBytes() {
        return idleBytes;
    }

    /** Frees every idle buffer. */
    synchronized void trim() {
        for (ArrayDeque<FloatPointer> q : idle.values()) {
            for (FloatPointer p : q) p.close();
        }
        idle.clear();
        idleBytes = 0;
    }
}
