package io.elektron.core.cpu;

import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A caching allocator for CPU storages. A training step allocates the same few hundred activation and gradient
 * buffers every time; freeing them to malloc and asking again costs page faults on every touch (megabyte buffers come
 * from fresh mmap'd pages). Released buffers are kept here by size class and handed out again.
 *
 * <p>Size classes round a request up by at most 1/8 (8 classes per power of two), so batches padded to different
 * lengths still share buffers. The pool holds at most as many idle bytes as were ever in use at once (a training
 * loop's whole step fits; inference over length-sorted batches, whose sizes only grow, does not keep every smaller
 * size it outgrew: encoding GoEmotions test peaked at 881 MB RSS with a fixed 2 GiB allowance), never more than
 * {@code elektron.pool.bytes} (default 2 GiB) and at least {@link #MIN_IDLE_BYTES}; beyond that, released buffers are
 * freed.
 */
final class StoragePool {
    static final StoragePool INSTANCE = new StoragePool(Long.getLong("elektron.pool.bytes", 2L << 30));

    private final long maxIdleBytes;
    private final NavigableMap<Long, ArrayDeque<FloatPointer>> idle = new TreeMap<>();
    private long idleBytes;
    private long liveBytes; // handed out and not yet given back
    private long peakLiveBytes;

    /** Idle bytes always allowed, whatever the peak: small programs keep their few buffers. */
    static final long MIN_IDLE_BYTES = 64L << 20;

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

    /** An idle buffer handed out again, and the size class it was allocated with (what it returns to). */
    record Reuse(FloatPointer pointer, long sizeClass) {
    }

    /**
     * An idle buffer of at least {@code sizeClass} elements and at most {@link #MAX_OVERSIZE} times that, the
     * smallest available, or null. Real text makes every batch a different size: without the slack, each size class
     * keeps its own idle buffers and the pool fills with near-duplicates (training peak RSS 2.5 GB on GoEmotions).
     * With null the caller allocates a new buffer of {@code sizeClass} elements; either way the buffer counts as in
     * use until it is given back.
     */
    synchronized Reuse take(long sizeClass) {
        Reuse reuse = reuse(sizeClass);
        liveBytes += (reuse != null ? reuse.sizeClass() : sizeClass) * Float.BYTES;
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
        return reuse;
    }

    private Reuse reuse(long sizeClass) {
        long limit = (long) (sizeClass * MAX_OVERSIZE);
        for (Map.Entry<Long, ArrayDeque<FloatPointer>> e = idle.ceilingEntry(sizeClass);
             e != null && e.getKey() <= limit; e = idle.higherEntry(e.getKey())) {
            if (e.getValue().isEmpty()) continue;
            idleBytes -= e.getKey() * Float.BYTES;
            return new Reuse(e.getValue().pop(), e.getKey());
        }
        return null;
    }

    /** How much larger than requested a reused buffer may be. */
    static final double MAX_OVERSIZE = 1.5;

    /** Keeps a released buffer for reuse; false when the pool is full (the caller frees it). */
    synchronized boolean give(FloatPointer pointer, long sizeClass) {
        long bytes = sizeClass * Float.BYTES;
        liveBytes -= bytes;
        long allowance = Math.min(maxIdleBytes, Math.max(MIN_IDLE_BYTES, peakLiveBytes));
        if (idleBytes + bytes > allowance) return false;
        idle.computeIfAbsent(sizeClass, k -> new ArrayDeque<>()).push(pointer);
        idleBytes += bytes;
        return true;
    }
}
