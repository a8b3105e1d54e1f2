package io.elektron.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The decision thresholds training saved beside a checkpoint in {@code thresholds.json}: the tuned global threshold
 * and, in a finished run's {@code best/}, one tuned threshold per label. {@code elektron predict} and {@code eval}
 * apply the global one unless told otherwise; {@link Predictor#predict} takes either.
 *
 * <p>The whole file is checked against the model even when only the global threshold is used: a {@code labels} list
 * that differs from the model's means the file belongs to another model, so its global threshold is suspect too.
 *
 * @param file the thresholds.json path (it may not exist)
 * @param saved whether the folder has the file; without it the global threshold is 0.5 and there are no per-label ones
 * @param labelNames the model's labels, in its order, that the thresholds were checked against
 * @param global the threshold for every label, in (0, 1)
 * @param perLabel {@code [L]} one threshold per label in (0, 1), or {@code null} when the file has none
 */
public record Thresholds(Path file, boolean saved, List<String> labelNames, float global, float[] perLabel) {
    public static final String FILE_NAME = "thresholds.json";
    /** The threshold of a model without thresholds.json. */
    public static final float UNTUNED_GLOBAL = 0.5f;

    public Thresholds {
        labelNames = List.copyOf(labelNames);
        perLabel = perLabel == null ? null : perLabel.clone();
        if (perLabel != null && perLabel.length != labelNames.size()) {
            throw new IllegalArgumentException(perLabel.length + " per-label thresholds for " + labelNames.size() + " labels");
        }
    }

    /** {@code [L]} the global threshold, once per label. */
    public float[] globalForEveryLabel() {
        float[] values = new float[labelNames.size()];
        java.util.Arrays.fill(values, global);
        return values;
    }

    /** The per-label thresholds (a copy), or {@code null} when the file has none. */
    @Override
    public float[] perLabel() {
        return perLabel == null ? null : perLabel.clone();
    }

    public boolean hasPerLabel() {
        return perLabel != null;
    }

    /**
     * Reads {@code folder/thresholds.json}, checked against the model's label names.
     *
     * @throws IOException naming the file, the key, what was expected and what was found, when the file is malformed
     */
    public static Thresholds read(Path folder, List<String> labelNames) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) return new Thresholds(file, false, labelNames, UNTUNED_GLOBAL, null);
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON", e);
        }
        if (root == null || !root.isObject()) throw new IOException(file + ": expected a JSON object with key 'global'");
        JsonNode g = root.get("global");
        if (g == null || !g.isNumber()) throw new IOException(file + ": missing numeric key 'global'");
        float global = (float) g.asDouble();
        if (!inOpenUnitInterval(global)) throw new IOException(file + ": 'global' threshold " + global + " is outside (0, 1)");
        checkLabels(file, root.get("labels"), labelNames);
        return new Thresholds(file, true, labelNames, global, perLabel(file, root.get("per_label"), labelNames));
    }

    private static void checkLabels(Path file, JsonNode labels, List<String> labelNames) throws IOException {
        if (labels == null) return;
        if (!labels.isArray()) {
            throw new IOException(file + ": 'labels' must be an array of label names, found " + describe(labels));
        }
        List<String> found = new ArrayList<>();
        for (JsonNode name : labels) {
            if (!name.isTextual()) {
                throw new IOException(file + ": 'labels'[" + found.size() + "] is " + describe(name) + ", expected a label name");
            }
            found.add(name.asText());
        }
        if (!found.equals(labelNames)) {
            throw new IOException(file + ": 'labels' is " + found + ", expected the model's labels " + labelNames
                    + " (is this thresholds.json from another model?)");
        }
    }

    private static float[] perLabel(Path file, JsonNode node, List<String> labelNames) throws IOException {
        if (node == null) return null;
        if (!node.isArray()) throw new IOException(file + ": 'per_label' must be an array of thresholds, found " + describe(node));
        if (node.size() != labelNames.size()) {
            throw new IOException(file + ": 'per_label' has " + node.size() + " thresholds, expected "
                    + labelNames.size() + " (one per label of the model)");
        }
        float[] thresholds = new float[node.size()];
        for (int l = 0; l < thresholds.length; l++) {
            JsonNode value = node.get(l);
            float t = value.isNumber() ? (float) value.asDouble() : Float.NaN;
            if (!inOpenUnitInterval(t)) {
                throw new IOException(file + ": 'per_label'[" + l + "] (" + labelNames.get(l) + ") is " + describe(value)
                        + ", expected a number in (0, 1)");
            }
            thresholds[l] = t;
        }
        return thresholds;
    }

    /** A value as written in the file; a whole array or object could be any size, so only its kind. */
    private static String describe(JsonNode node) {
        if (node.isArray()) return "an array";
        if (node.isObject()) return "an object";
        return node.toString();
    }

    // 0 and 1 are no decision rule: every label, or none, for every text.
    private static boolean inOpenUnitInterval(float t) {
        return t > 0 && t < 1;
    }
}
