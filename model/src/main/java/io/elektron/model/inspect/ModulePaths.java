package io.elektron.model.inspect;

import io.elektron.core.nn.Module;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds a module by its HF state-dict name. A classifier's encoder lives under {@code electra.}, but people write the
 * names of a bare encoder ({@code encoder.layer.3.attention}), as HF's own state dicts of encoders do: both work.
 */
public final class ModulePaths {
    private ModulePaths() {
    }

    /** The module called {@code name} in {@code root} ("" is the root), or a clear error listing near names. */
    public static Module find(Module root, String name) {
        Map<String, Module> modules = root.namedModules();
        Module m = modules.get(name);
        if (m == null) m = modules.get("electra." + name);
        if (m == null && name.startsWith("electra.")) m = modules.get(name.substring("electra.".length()));
        if (m != null) return m;
        throw new IllegalArgumentException("no module named '" + name + "' in " + root.getClass().getSimpleName()
                + "; modules near it: " + near(modules.keySet(), name));
    }

    /** Up to 12 names sharing the longest dotted prefix with {@code name}. */
    static List<String> near(Iterable<String> names, String name) {
        String[] wanted = name.split("\\.");
        int best = -1;
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.isEmpty()) continue;
            String[] parts = n.startsWith("electra.") && !name.startsWith("electra.")
                    ? n.substring("electra.".length()).split("\\.") : n.split("\\.");
            int common = 0;
            while (common < parts.length && common < wanted.length && parts[common].equals(wanted[common])) common++;
            if (common > best) {
                best = common;
                out.clear();
            }
            if (common == best && out.size() < 12) out.add(n);
        }
        return out;
    }
}
