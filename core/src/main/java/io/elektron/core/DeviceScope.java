package io.elektron.core;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The device new tensors are created on, for the current thread, while the scope is open, like {@code GradMode}:
 * <pre>{@code
 * try (DeviceScope on = DeviceScope.use(Backends.of(Device.cuda(0)))) {
 *     model = new ElectraForSequenceClassification(config, random, seeds); // parameters on cuda:0
 * }
 * }</pre>
 * Ops never consult it: they allocate on their inputs' backend. Factories without a backend argument
 * ({@link Tensor#zeros(int...)}, {@link io.elektron.core.nn.Parameters}) do.
 */
public final class DeviceScope implements AutoCloseable {
    private static final ThreadLocal<Deque<Backend>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final Backend backend;
    private boolean closed;

    private DeviceScope(Backend backend) {
        this.backend = backend;
    }

    public static DeviceScope use(Backend backend) {
        if (backend == null) throw new IllegalArgumentException("DeviceScope.use: backend is null");
        OPEN.get().push(backend);
        return new DeviceScope(backend);
    }

    /** The innermost open scope's backend on this thread, else {@link Backends#defaultBackend()}. */
    public static Backend current() {
        Backend b = OPEN.get().peek();
        return b != null ? b : Backends.defaultBackend();
    }

    @Override
    public void close() {
        if (closed) return;
        Deque<Backend> open = OPEN.get();
        if (open.peek() != backend) {
            throw new IllegalStateException("DeviceScope closed out of order (scopes nest like try blocks)");
        }
        open.pop();
        closed = true;
    }
}
