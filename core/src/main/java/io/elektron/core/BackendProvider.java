package io.elektron.core;

/**
 * How a backend makes itself known: one implementation per device type, listed in the jar's
 * {@code META-INF/services/io.elektron.core.BackendProvider} and found by {@link Backends} through
 * {@link java.util.ServiceLoader}. Adding a device to Elektron means adding a jar with a provider on the class path; no
 * code above the {@link Backend} contract changes.
 */
public interface BackendProvider {
    /** The {@link Device#type()} this provider serves ({@code cpu}, {@code cuda}). */
    String deviceType();

    /** {@code --device auto} picks the available provider with the highest rank (the CPU has 0). */
    int rank();

    /**
     * Null when the provider can create backends here; otherwise one line saying why not (no driver, no device, a
     * native library that failed to load), shown to the user as is.
     */
    String unavailableReason();

    /** Devices of this type on this machine (0 when unavailable). */
    int deviceCount();

    /** The backend for one of this provider's devices; called once per device, the result is shared. */
    Backend create(Device device);
}
