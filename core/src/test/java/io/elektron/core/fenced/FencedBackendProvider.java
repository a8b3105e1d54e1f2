package io.elektron.core.fenced;

import io.elektron.core.Backend;
import io.elektron.core.BackendProvider;
import io.elektron.core.Device;

/** Registers the {@link FencedBackend} (test class path only); rank -1 so that {@code auto} never picks it. */
public final class FencedBackendProvider implements BackendProvider {
    @Override
    public String deviceType() {
        return FencedBackend.DEVICE.type();
    }

    @Override
    public int rank() {
        return -1;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public int deviceCount() {
        return 1;
    }

    @Override
    public Backend create(Device device) {
        return FencedBackend.get();
    }
}
