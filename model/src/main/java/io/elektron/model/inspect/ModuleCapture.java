package io.elektron.model.inspect;

import io.elektron.core.Tensor;
import io.elektron.core.nn.HookHandle;
import io.elektron.core.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records what named modules produce, without touching model code: the output of each forward pass and, optionally,
 * the gradient of the loss with respect to that output during backward. Names are HF state-dict names
 * ({@code encoder.layer.3.attention}; the {@code electra.} prefix of a classifier may be left out). Values are copied
 * out of the step's tensors, so they stay valid after the step's scope closes.
 *
 * <pre>{@code
 * try (ModuleCapture capture = ModuleCapture.outputsAndGradients(model, "encoder.layer.3.attention")) {
 *     Tensor loss = ...model.forward(batch)...;
 *     loss.backward();
 *     ModuleCapture.Captured out = capture.output("encoder.layer.3.attention");   // [B, T, H]
 *     ModuleCapture.Captured grad = capture.gradient("encoder.layer.3.attention"); // dLoss/d(out), [B, T, H]
 * }
 * }</pre>
 *
 * Hooks fire for modules whose forward reports its output ({@code Module.emit}): every ELECTRA module
 * (embeddings, attention, attention.self, attention.output, intermediate, output, the layer, encoder, the model,
 * classifier). The plain building blocks (Linear, LayerNorm, Dropout, Embedding) do not report.
 *
 * <p>Shapes follow the execution: {@code forward} (padded, HF's) reports [B, T, H]; {@code forwardPacked}, which
 * training and batched inference use, reports the packed [N, H] of the batch's real tokens (and attention maps as the
 * flat packed [S] of {@link io.elektron.core.ops.PackedAttention}).
 */
public final class ModuleCapture implements AutoCloseable {
    /** One recorded tensor: which module, its shape and a copy of its values (row-major). */
    public record Captured(String module, int[] shape, float[] values) {
        /** L2 norm of all values. */
        public double norm() {
            double sq = 0;
            for (float v : values) sq += (double) v * v;
            return Math.sqrt(sq);
        }

        @Override
        public String toString() {
            return "Captured[" + module + " " + Arrays.toString(shape) + ", norm " + String.format("%.4g", norm()) + "]";
        }
    }

    private final Map<String, List<Captured>> outputs = new LinkedHashMap<>();
    private final Map<String, List<Captured>> gradients = new LinkedHashMap<>();
    private final List<HookHandle> handles = new ArrayList<>();

    private ModuleCapture(Module root, boolean withGradients, String... names) {
        if (names.length == 0) throw new IllegalArgumentException("name at least one module to capture");
        try {
            for (String name : names) {
                Module m = ModulePaths.find(root, name);
                outputs.put(name, new ArrayList<>());
                handles.add(m.registerForwardHook((module, out) -> outputs.get(name).add(copy(name, out))));
                if (withGradients) {
                    gradients.put(name, new ArrayList<>());
                    handles.add(m.registerBackwardHook((module, g) -> gradients.get(name).add(copy(name, g))));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Records the outputs of the named modules. */
    public static ModuleCapture outputs(Module root, String... names) {
        return new ModuleCapture(root, false, names);
    }

    /** Records the outputs of the named modules and, during backward, the gradients with respect to them. */
    public static ModuleCapture outputsAndGradients(Module root, String... names) {
        return new ModuleCapture(root, true, names);
    }

    /** The output of the module's last forward pass. */
    public Captured output(String name) {
        return last(outputs, name, "output", "no forward pass has run it since capture started, or its forward does not "
                + "report outputs (only the ELECTRA modules do, not Linear/LayerNorm/Dropout/Embedding)");
    }

    /** Every output recorded for the module, in order (adversarial training runs the forward pass twice). */
    public List<Captured> outputs(String name) {
        return List.copyOf(list(outputs, name, "output"));
    }

    /** The gradient with respect to the module's output from the last backward pass that reached it. */
    public Captured gradient(String name) {
        return last(gradients, name, "gradient", "no backward pass has reached it (was the graph recorded, and did the "
                + "loss depend on this module?)");
    }

    /** Every gradient recorded for the module, in the order backward reached them. */
    public List<Captured> gradients(String name) {
        return List.copyOf(list(gradients, name, "gradient"));
    }

    /** Forgets what was recorded (hooks stay). */
    public void clear() {
        outputs.values().forEach(List::clear);
        gradients.values().forEach(List::clear);
    }

    /** Removes every hook. */
    @Override
    public void close() {
        for (HookHandle h : handles) h.close();
    }

    private static List<Captured> list(Map<String, List<Captured>> map, String name, String what) {
        List<Captured> l = map.get(name);
        if (l == null) {
            throw new IllegalArgumentException("'" + name + "' is not captured for its " + what + "; captured: " + map.keySet());
        }
        return l;
    }

    private static Captured last(Map<String, List<Captured>> map, String name, String what, String why) {
        List<Captured> l = list(map, name, what);
        if (l.isEmpty()) throw new IllegalStateException("no " + what + " captured for '" + name + "': " + why);
        return l.get(l.size() - 1);
    }

    private static Captured copy(String name, Tensor t) {
        return new Captured(name, t.shape(), t.toFloatArray());
    }
}
