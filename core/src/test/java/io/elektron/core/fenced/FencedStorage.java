package io.elektron.core.fenced;

import io.elektron.core.Device;
import io.elektron.core.Storage;

/** Storage of the {@link FencedBackend}: host memory underneath, but tagged as another device's. */
final class FencedStorage extends Storage {
    final Storage inner;

    FencedStorage(Storage inner) {
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
