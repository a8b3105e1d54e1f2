package io.elektron.core.fenced;

import io.elektron.core.Device;
import io.elektron.core.Storage;

/** Storage of the {@link FencedBackend}: host memory underneath, but tagged as another device's. */
final class FencedStorage extends Storage {
    final Storage inner;
    private boolean counted = true;

    FencedStorage(Storage inner) {
        super(inner.size());
        this.inner = inner;
        FencedBackend.allocated(inner.size());
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
        if (counted) FencedBackend.released(inner.size());
        counted = false;
        inner.close();
    }
}
