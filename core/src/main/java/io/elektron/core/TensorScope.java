package io.elektron.core;

import java.util.ArrayList;
import java.util.List;

/**
 * An arena for the native memory of short-lived tensors: every storage allocated while a scope is open on this thread
 * belongs to it and is released when it closes. One scope per training step keeps resident memory flat over a long run
 * without waiting for the garbage collector.
 *
 * <pre>{@code
 * try (TensorScope step = TensorScope.open()) {
 *     Tensor loss = model.forward(batch).bceWithLogits(targets);
 *     loss.backward();          // activations and intermediate gradients die with the scope
 *     optimizer.step();         // parameters, their gradients and optimizer state are not scoped
 * }
 * }</pre>
 *
 * Parameters, their gradients and optimizer state are allocated {@linkplain Tensor#zerosUnscoped unscoped}. A tensor
 * that must outlive the scope is handed to the enclosing scope with {@link #keep(Tensor)}.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> CURRENT = new ThreadLocal<>();

    private final TensorScope parent;
    private final Thread owner;
    private List<Storage> owned = new ArrayList<>();
    private List<IndexStorage> ownedIndices = new ArrayList<>();

    private TensorScope(TensorScope parent) {
        this.parent = parent;
        this.owner = Thread.currentThread();
    }

    /** Opens a scope nested in the current one (if any) on this thread. */
    public static TensorScope open() {
        TensorScope scope = new TensorScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    static void track(Storage storage) {
        TensorScope scope = CURRENT.get();
        if (scope != null) scope.owned.add(storage);
    }

    static void track(IndexStorage indices) {
        TensorScope scope = CURRENT.get();
        if (scope != null) scope.ownedIndices.add(indices);
    }

    /** Number of storages (float and index) this scope will release (for tests and leak hunting). */
    public int ownedCount() {
        return owned.size() + ownedIndices.size();
    }

    /** Moves a tensor's storage from this scope to the enclosing one (or to no scope) and returns the tensor. */
    public Tensor keep(Tensor tensor) {
        Storage storage = tensor.storage();
        for (int i = owned.size() - 1; i >= 0; i--) {
            if (owned.get(i) == storage) {
                owned.remove(i);
                if (parent != null) parent.owned.add(storage);
                break;
            }
        }
        return tensor;
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) throw new IllegalStateException("a TensorScope must be closed on the thread that opened it");
        if (owned == null) return;
        if (CURRENT.get() != this) throw new IllegalStateException("TensorScopes must be closed in the reverse order of opening");
        for (Storage s : owned) s.close();
        for (IndexStorage s : ownedIndices) s.close();
        owned = null;
        ownedIndices = null;
        CURRENT.set(parent);
    }
}
