package io.elektron.model.train;

import io.elektron.core.Tensor;
import io.elektron.core.optim.AdamW;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Optimizer groups as HF's Trainer builds them (no weight decay on biases and LayerNorm weights), optionally with
 * ELECTRA's layer-wise learning-rate decay: depth 0 for the embeddings, i + 1 for encoder layer i, L + 1 for heads,
 * and a learning-rate scale of decay^(L + 1 - depth).
 */
public final class ParameterGroups {
    private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");

    private ParameterGroups() {
    }

    public static boolean excludedFromDecay(String name) {
        return name.endsWith(".bias") || name.contains("LayerNorm.");
    }

    static int depth(String name, int layers) {
        Matcher m = LAYER.matcher(name);
        if (m.find()) return Integer.parseInt(m.group(1)) + 1;
        if (name.contains("embeddings")) return 0; // embeddings and embeddings_project
        return layers + 1;
    }

    public static List<AdamW.ParamGroup> build(Map<String, Tensor> named, int layers, float weightDecay, float layerDecay) {
        Map<String, List<Tensor>> byKey = new LinkedHashMap<>();
        Map<String, float[]> settings = new LinkedHashMap<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (var e : named.entrySet()) {
            if (seen.put(e.getValue(), Boolean.TRUE) != null) continue; // tied: one update per tensor
            float wd = excludedFromDecay(e.getKey()) ? 0f : weightDecay;
            float scale = layerDecay > 0 ? (float) Math.pow(layerDecay, layers + 1 - depth(e.getKey(), layers)) : 1f;
            String key = wd + "/" + scale;
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getValue());
            settings.put(key, new float[]{wd, scale});
        }
        List<AdamW.ParamGroup> out = new ArrayList<>();
        for (var e : byKey.entrySet()) {
            float[] s = settings.get(e.getKey());
            out.add(new AdamW.ParamGroup(e.getValue(), s[0], s[1]));
        }
        return out;
    }
}
