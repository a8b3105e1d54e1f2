package io.elektron.model.inspect;

import io.elektron.core.Tensor;
import io.elektron.core.nn.Module;
import io.elektron.core.ops.Reductions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * L2 norms of the gradients a backward pass left in a model's parameters: per parameter, per layer, global. Read them
 * after {@code loss.backward()} and before the optimizer zeroes the gradients (gradient clipping does not change which
 * layers dominate, only the scale).
 */
public final class GradientNorms {
    private static final Pattern LAYER = Pattern.compile("^(?:electra\\.)?(encoder\\.layer\\.\\d+)\\.");

    private GradientNorms() {
    }

    /** Every parameter's gradient norm by its HF name, in registration order; 0 for a parameter with no gradient. */
    public static Map<String, Double> perParameter(Module model) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : model.namedParameters().entrySet()) out.put(e.getKey(), norm(e.getValue()));
        return out;
    }

    /**
     * Norms grouped by layer: {@code embeddings}, {@code embeddings_project}, {@code encoder.layer.N}, then heads
     * ({@code classifier}, ...) — each the L2 norm over all the group's parameter gradients.
     */
    public static Map<String, Double> perLayer(Module model) {
        Map<String, Double> squares = new LinkedHashMap<>();
        for (var e : perParameter(model).entrySet()) squares.merge(layerOf(e.getKey()), e.getValue() * e.getValue(), Double::sum);
        Map<String, Double> out = new LinkedHashMap<>();
        squares.forEach((k, v) -> out.put(k, Math.sqrt(v)));
        return out;
    }

    /** The global norm over distinct parameters (a tied tensor once): what global-norm clipping compares to max_norm. */
    public static double global(Module model) {
        List<Tensor> params = model.parameters();
        double sq = 0;
        for (Tensor p : params) {
            double n = norm(p);
            sq += n * n;
        }
        return Math.sqrt(sq);
    }

    /** The group a parameter belongs to: {@code encoder.layer.N}, else its first name part without {@code electra.}. */
    public static String layerOf(String parameterName) {
        Matcher m = LAYER.matcher(parameterName);
        if (m.find()) return m.group(1);
        String name = parameterName.startsWith("electra.") ? parameterName.substring("electra.".length()) : parameterName;
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static double norm(Tensor p) {
        return p.grad() == null ? 0 : Math.sqrt(Reductions.sumOfSquares(p.grad()));
    }
}
