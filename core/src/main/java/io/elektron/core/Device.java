package io.elektron.core;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a tensor's storage lives: a device type ({@code cpu}, {@code cuda}, or whatever type a registered
 * {@link BackendProvider} serves) and an index among the devices of that type ({@code cuda:1} is the second GPU).
 * Mixing devices in one op is an error.
 */
public record Device(String type, int index) {
    // Before CPU: static fields initialise in order, and CPU's constructor checks its type against this.
    private static final Pattern SPEC = Pattern.compile("([a-z][a-z0-9_-]*)(?::(\\d{1,4}))?");

    /** The host; always present. */
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        if (type == null || !SPEC.matcher(type).matches() || type.contains(":")) {
            throw new IllegalArgumentException("device type must be a lower-case name like cpu or cuda, got '" + type + "'");
        }
        if (index < 0) throw new IllegalArgumentException("device index must be >= 0, got " + index);
    }

    /** The {@code index}-th CUDA device. */
    public static Device cuda(int index) {
        return new Device("cuda", index);
    }

    /** Parses {@code cpu}, {@code cuda}, {@code cuda:1} (case-insensitive; no index means 0). */
    public static Device parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown device '" + spec + "' (expected cpu, cuda or cuda:N)");
        }
        return new Device(m.group(1), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
    }

    /** {@code cpu}, {@code cuda:0}: what {@link #parse} reads back. */
    @Override
    public String toString() {
        return equals(CPU) ? "cpu" : type + ":" + index;
    }
}
