package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The settings that differ between a stored record and the current one (run.json on --resume, experiment.json when an
 * experiment is continued), by dotted path, so that a refusal can name every one of them.
 */
final class JsonDifferences {
    private JsonDifferences() {
    }

    /** Adds "path was X, now Y" to {@code out} for every leaf below {@code path} whose values differ (or exist once). */
    static void collect(String path, JsonNode now, JsonNode before, List<String> out) {
        if (now instanceof ObjectNode a && before instanceof ObjectNode b) {
            Set<String> keys = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) keys.add(it.next());
            for (String k : keys) collect(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out);
        } else if (now == null || before == null || !now.equals(before)) {
            out.add(path + " was " + before + ", now " + now);
        }
    }
}
