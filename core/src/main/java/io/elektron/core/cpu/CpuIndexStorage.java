package io.elektron.core.cpu;

import io.elektron.core.Device;
import io.elektron.core.IndexStorage;

/**
 * Index storage of the CPU backend: a private copy of the ids on the Java heap, which is the CPU kernels' own memory
 * (they are Java loops; OpenBLAS never reads ids).
 */
final class CpuIndexStorage extends IndexStorage {
    private final int[] ids;
    private boolean closed;

    CpuIndexStorage(int[] ids) {
        super(ids.length);
        this.ids = ids.clone();
    }

    int[] ids() {
        if (closed) throw new IllegalStateException("index storage of " + size() + " ids used after it was released");
        return ids;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
