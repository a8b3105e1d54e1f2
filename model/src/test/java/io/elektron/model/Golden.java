package io.elektron.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Reads HF reference fixtures (golden.json) copied into test resources, and compares tensors against them. */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode root;
    private final Path folder;

    private Golden(Path folder) {
        this.folder = folder;
        try {
            this.root = JSON.readTree(folder.resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Golden fixture(String name) {
        try {
            Path p = Path.of(Objects.requireNonNull(Golden.class.getResource("/fixtures/" + name + "/config.json"),
                    "missing test fixture " + name).toURI()).getParent();
            return new Golden(p);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path folder() {
        return folder;
    }

    public JsonNode node(String path) {
        JsonNode n = root;
        for (String part : path.split("/")) {
            n = n.get(part);
            if (n == null) throw new IllegalArgumentException("golden.json has no " + path);
        }
        return n;
    }

    /** A nested numeric array flattened row-major. */
    public float[] floats(String path) {
        List<Float> out = new ArrayList<>();
        flatten(node(path), out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) a[i] = out.get(i);
        return a;
    }

    public int[] ints(String path) {
        float[] f = floats(path);
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) out[i] = (int) f[i];
        return out;
    }

    private static void flatten(JsonNode n, List<Float> out) {
        if (n.isArray()) {
            for (JsonNode c : n) flatten(c, out);
        } else {
            out.add((float) n.asDouble());
        }
    }

    public EncoderInput input() {
        int[] ids = ints("input_ids");
        int batch = node("input_ids").size();
        return new EncoderInput(batch, ids.length / batch, ids, ints("attention_mask"), ints("token_type_ids"));
    }

    /** |actual - expected| <= atol + rtol * |expected| elementwise, reporting the worst element. */
    public static void assertClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) actual[i] - expected[i]);
            double excess = err - (atol + rtol * Math.abs(expected[i]));
            if (excess > 0 && (worstAt < 0 || excess > worst)) {
                worst = excess;
                worstAt = i;
            }
        }
        if (worstAt >= 0) {
            fail(what + ": element " + worstAt + " expected " + expected[worstAt] + " got " + actual[worstAt]
                    + " (atol " + atol + ", rtol " + rtol + ")");
        }
    }

    /** Largest absolute difference (for reporting). */
    public static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }
}
