package io.elektron.core;

/** Where a tensor's storage lives. Mixing devices in one op is an error. */
public enum Device {
    CPU,
    CUDA;

    /** Parses {@code cpu}, {@code cuda} (case-insensitive). */
    public static Device parse(String name) {
        for (Device d : values()) {
            if (d.name().equalsIgnoreCase(name)) return d;
        }
        throw new IllegalArgumentException("unknown device '" + name + "' (expected cpu or cuda)");
    }
}
