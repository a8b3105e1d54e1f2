package io.elektron.core.fenced;

import io.elektron.core.Device;
import io.elektron.core.IndexStorage;

/** Index storage of the {@link FencedBackend}: the CPU's underneath, tagged as the fenced device's. */
final class FencedIndexStorage extends IndexStorage {
    final IndexStorage inner;

    FencedIndexStorage(IndexStorage inner) {
        super(inner.size());
        this.inner = inner;
    }

    @Override
    public Device device() {
        return FencedBackend.DEVICE;
    }

    @Override
    public boolean isClosed() {
        return inner.isClosed();
    }

    @Override
    public void close() {
        inner.close();
    }
}
