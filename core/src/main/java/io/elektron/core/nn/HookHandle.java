package io.elektron.core.nn;

/**
 * A registered hook; closing it removes the hook (again: no effect). Use it with try-with-resources so a hook never
 * outlives the code that needed it:
 *
 * <pre>{@code
 * try (HookHandle h = layer.registerForwardHook((m, out) -> norms.add(out))) {
 *     model.forward(batch);
 * }
 * }</pre>
 */
public final class HookHandle implements AutoCloseable {
    private Runnable remover;

    HookHandle(Runnable remover) {
        this.remover = remover;
    }

    /** True until the handle is closed. */
    public boolean isActive() {
        return remover != null;
    }

    @Override
    public void close() {
        Runnable r = remover;
        remover = null;
        if (r != null) r.run();
    }
}
