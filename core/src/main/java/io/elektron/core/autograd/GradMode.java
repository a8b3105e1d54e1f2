package io.elektron.core.autograd;

/**
 * Whether ops record the graph. Evaluation runs in a no-grad scope so nothing is kept for a backward pass:
 * {@code try (var off = GradMode.disabled()) { ... }}.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private final boolean previous;

    private GradMode(boolean enabled) {
        this.previous = ENABLED.get();
        ENABLED.set(enabled);
    }

    public static GradMode disabled() {
        return new GradMode(false);
    }

    public static GradMode enabled() {
        return new GradMode(true);
    }

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    @Override
    public void close() {
        ENABLED.set(previous);
    }
}
