package io.elektron.core.nn;

import io.elektron.core.Backend;
import io.elektron.core.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A building block with named parameters and named children. Names compose with dots into exactly the HuggingFace
 * state-dict names ({@code encoder.layer.3.attention.self.query.weight}), so loading and saving checkpoints is a
 * dictionary walk, not a mapping table.
 *
 * <p><b>Hooks.</b> A module whose forward method ends with {@code return emit(output);} can be watched without
 * editing it: {@link #registerForwardHook} sees the output, {@link #registerBackwardHook} sees the gradient of the
 * loss with respect to that output during backward. Both return a {@link HookHandle}; close it (try-with-resources)
 * to remove the hook. With no hook registered {@code emit} is a null check and returns its argument.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private ModuleHooks hooks; // null while no hook is registered: inspection off costs one null check per emit

    /** Registers a parameter: marks it as needing a gradient and names it. */
    protected final Tensor registerParameter(String name, Tensor parameter) {
        if (name.contains(".")) throw new IllegalArgumentException("parameter name '" + name + "' must not contain '.'");
        parameter.requiresGrad(true);
        if (parameter.name() == null) parameter.named(name);
        parameters.put(name, parameter);
        return parameter;
    }

    protected final <M extends Module> M registerModule(String name, M module) {
        children.put(name, module);
        return module;
    }

    // ======================================================================== hooks

    /**
     * Calls {@code hook} with this module's output each time its forward pass calls {@link #emit} (the ELECTRA
     * modules all do; see their forward methods). Hooks run in registration order.
     */
    public final HookHandle registerForwardHook(ForwardHook hook) {
        if (hook == null) throw new IllegalArgumentException("hook must not be null");
        if (hooks == null) hooks = new ModuleHooks();
        hooks.add(hook);
        return new HookHandle(() -> removeHook(hook));
    }

    /**
     * Calls {@code hook} during backward with the gradient of the loss with respect to this module's output. Only
     * outputs produced while the hook is registered and a graph is recorded are watched.
     */
    public final HookHandle registerBackwardHook(BackwardHook hook) {
        if (hook == null) throw new IllegalArgumentException("hook must not be null");
        if (hooks == null) hooks = new ModuleHooks();
        hooks.add(hook);
        return new HookHandle(() -> removeHook(hook));
    }

    private void removeHook(Object hook) {
        if (hooks != null && hooks.remove(hook)) hooks = null;
    }

    /** True while some forward or backward hook is registered on this module (not its children). */
    public final boolean hasHooks() {
        return hooks != null;
    }

    /**
     * Hands a forward pass's output to the hooks; forward methods end with {@code return emit(output)}. Returns
     * {@code output} itself unless a backward hook is registered, in which case it returns a pass-through view whose
     * backward reports the gradient: use the returned tensor.
     */
    protected final Tensor emit(Tensor output) {
        ModuleHooks h = hooks;
        return h == null ? output : h.fire(this, output);
    }

    // ======================================================================== structure

    /**
     * Replaces a registered parameter of this module (weight tying: the generator's LM head shares the word-embedding
     * matrix). Subclasses that cache the parameter in a field must override and update the field too.
     */
    public void replaceParameter(String name, Tensor parameter) {
        if (!parameters.containsKey(name)) throw new IllegalArgumentException("no parameter '" + name + "' in " + getClass().getSimpleName());
        parameters.put(name, parameter);
    }

    /** Replaces a registered child (sharing the embeddings module between generator and discriminator). */
    public void replaceModule(String name, Module module) {
        if (!children.containsKey(name)) throw new IllegalArgumentException("no module '" + name + "' in " + getClass().getSimpleName());
        children.put(name, module);
    }

    /** Every parameter by its dotted name; a tensor shared under two names appears under both. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out) {
        for (var e : parameters.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    /** Distinct parameter tensors (a tied tensor once), in registration order. */
    public final List<Tensor> parameters() {
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : namedParameters().values()) {
            if (seen.put(t, Boolean.TRUE) == null) out.add(t);
        }
        return out;
    }

    /** Children by their dotted names, this module included under "". */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collectModules(String name, Map<String, Module> out) {
        out.put(name, this);
        for (var e : children.entrySet()) e.getValue().collectModules(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), out);
    }

    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Total number of distinct parameter values. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : parameters()) n += t.numel();
        return n;
    }

    public final void train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
    }

    public final void eval() {
        train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * The backend this module's parameters live on (all of them: {@link #to} moves them together); the default
     * backend for a module without parameters. Inputs a module creates itself (masks, targets) go here.
     */
    public final Backend backend() {
        for (Tensor t : parameters()) return t.backend();
        return Tensor.defaultBackend();
    }

    /** Moves every parameter to {@code target} in place (gradients are released); returns this module. */
    public final Module to(Backend target) {
        for (Tensor t : parameters()) t.moveTo(target);
        return this;
    }

    public final void zeroGrad() {
        for (Tensor t : parameters()) t.zeroGrad();
    }

    /** Releases every parameter's native memory (and gradient) now. */
    public void close() {
        for (Tensor t : parameters()) {
            if (t.grad() != null) t.grad().close();
            t.close();
        }
    }
}
