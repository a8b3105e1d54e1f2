package io.elektron.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The registry of backends: every {@link BackendProvider} on the class path, the one backend per device they create,
 * and the process-wide default device that tensors are created on when no {@link DeviceScope} says otherwise.
 */
public final class Backends {
    private static final List<BackendProvider> PROVIDERS = load();
    private static final Map<Device, Backend> CREATED = new ConcurrentHashMap<>();
    private static volatile Backend processDefault;

    private Backends() {
    }

    private static List<BackendProvider> load() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(BackendProvider::rank).reversed());
        return List.copyOf(found);
    }

    /** Every provider found, best rank first. */
    public static List<BackendProvider> providers() {
        return PROVIDERS;
    }

    /** The backend of {@code device}, created on first use; a clear error when no usable provider serves it. */
    public static Backend of(Device device) {
        Backend existing = CREATED.get(device);
        if (existing != null) return existing;
        BackendProvider provider = provider(device);
        return CREATED.computeIfAbsent(device, provider::create);
    }

    private static BackendProvider provider(Device device) {
        for (BackendProvider p : PROVIDERS) {
            if (!p.deviceType().equals(device.type())) continue;
            String why = p.unavailableReason();
            if (why != null) throw new IllegalStateException("device " + device + ": the " + p.deviceType()
                    + " backend is installed but cannot run here: " + why);
            if (device.index() >= p.deviceCount()) {
                throw new IllegalStateException("device " + device + ": this machine has " + p.deviceCount() + " "
                        + p.deviceType() + " device(s), numbered from 0");
            }
            return p;
        }
        if (device.type().equals("cpu")) {
            throw new IllegalStateException("no CPU backend was found on the class path: io.elektron.core's"
                    + " META-INF/services/io.elektron.core.BackendProvider is missing (a repackaged jar that dropped it?)");
        }
        throw new IllegalStateException("device " + device + ": no " + device.type() + " backend is installed (this build has: "
                + PROVIDERS.stream().map(BackendProvider::deviceType).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * {@code auto}: the first device of the best-ranked available provider (the CPU when nothing else can run);
     * otherwise the device the spec names ({@code cpu}, {@code cuda}, {@code cuda:1}), checked to exist.
     */
    public static Device resolve(String spec) {
        if (spec != null && spec.trim().equalsIgnoreCase("auto")) {
            for (BackendProvider p : PROVIDERS) {
                if (p.unavailableReason() == null && p.deviceCount() > 0) return new Device(p.deviceType(), 0);
            }
            return Device.CPU;
        }
        Device device = Device.parse(spec);
        provider(device);
        return device;
    }

    /** The host backend. */
    public static Backend cpu() {
        return of(Device.CPU);
    }

    /** Where new tensors go when no {@link DeviceScope} is open on the thread: {@link #setDefault}, else the CPU. */
    public static Backend defaultBackend() {
        Backend b = processDefault;
        return b != null ? b : cpu();
    }

    /** Makes {@code backend} the process-wide default (the CLI's {@code --device}). */
    public static void setDefault(Backend backend) {
        processDefault = backend;
    }
}
