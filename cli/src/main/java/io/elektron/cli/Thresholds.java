package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the thresholds.json that training saves beside a checkpoint. */
final class Thresholds {
    private Thresholds() {
    }

    /** The tuned global threshold, or 0.5 when the folder has none. */
    static float global(Path folder) throws IOException {
        Path file = folder.resolve("thresholds.json");
        if (!Files.isRegularFile(file)) return 0.5f;
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON", e);
        }
        JsonNode g = n.get("global");
        if (g == null || !g.isNumber()) throw new IOException(file + ": missing numeric key 'global'");
        float t = (float) g.asDouble();
        if (!(t > 0 && t < 1)) throw new IOException(file + ": 'global' threshold " + t + " is outside (0, 1)");
        return t;
    }
}
