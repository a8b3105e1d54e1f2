package io.elektron.core.cpu;

import io.elektron.core.Backend;
import io.elektron.core.BackendProvider;
import io.elektron.core.Device;

/** The host: always available, one device, the lowest rank (anything else that can run is preferred by auto). */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public String deviceType() {
        return "cpu";
    }

    @Override
    public int rank() {
        return 0;
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
        return CpuBackend.get();
    }
}
