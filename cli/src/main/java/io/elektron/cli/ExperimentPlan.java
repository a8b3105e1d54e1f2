package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.model.io.AtomicFiles;
import io.elektron.model.train.TrainingOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an adversarial experiment is: the model, the data (by path, size and SHA-256, so that an edited file is noticed),
 * the shared training options, the methods and the seeds. Stored as {@code experiment.json} in the experiment's folder
 * when it starts; the same command run again finds it and continues the experiment, and a command that would train
 * something else is refused instead of mixing two experiments' cells in one report.
 *
 * <p>Methods and seeds may grow between runs (add a seed, add pgd): finished cells are kept and only the new ones run.
 *
 * @param definition everything that decides the results, except the methods and seeds
 * @param methods    methods in report order, {@code none} first
 * @param seeds      the seeds every method runs with
 * @param methodSettings method -> its adversarial settings ({@code fgm (eps 1.0)}): a method kept across runs of the
 *                   experiment must keep its settings, a method added may bring its own
 */
record ExperimentPlan(ObjectNode definition, List<String> methods, List<Long> seeds, Map<String, String> methodSettings) {
    static final String FILE = "experiment.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One (method, seed) run. */
    record Cell(String method, long seed) {
        /** The cell's run folder name inside the experiment folder. */
        String folderName() {
            return method + "-seed" + seed;
        }
    }

    /**
     * @param options the shared training options (a cell's seed and method replace theirs)
     * @param data    the splits: file and number of examples used
     */
    static ExperimentPlan of(String model, List<DataFile> data, Integer limit, TrainingOptions options,
                             List<String> methods, List<Long> seeds, Map<String, String> methodSettings) throws IOException {
        ObjectNode d = JSON.createObjectNode();
        d.put("command", "experiment adv");
        d.put("model", model);
        ObjectNode files = d.putObject("data");
        for (DataFile f : data) {
            ObjectNode n = files.putObject(f.split());
            n.put("path", f.path().toAbsolutePath().normalize().toString());
            n.put("sha256", FileDigest.sha256(f.path()));
            n.put("examples", f.examples());
        }
        if (limit != null) d.put("train_limit", limit);
        ObjectNode training = JSON.valueToTree(options);
        // A cell's own; everything else is the same for every cell.
        training.remove("seed");
        training.remove("adversarial");
        d.set("training", training);
        // Through text and back: a float option read from the stored file is a double node, and node equality
        // compares node types as well as values.
        ObjectNode normalised = (ObjectNode) JSON.readTree(JSON.writeValueAsBytes(d));
        return new ExperimentPlan(normalised, List.copyOf(methods), List.copyOf(seeds), Map.copyOf(methodSettings));
    }

    /** A data split as the experiment uses it. */
    record DataFile(String split, Path path, int examples) {
    }

    /** Seed-major: every method's first seed before any second seed, so an experiment cut short still pairs up. */
    List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (long seed : seeds) for (String method : methods) cells.add(new Cell(method, seed));
        return cells;
    }

    ObjectNode toJson() {
        ObjectNode n = definition.deepCopy();
        ArrayNode m = n.putArray("methods");
        methods.forEach(m::add);
        ArrayNode s = n.putArray("seeds");
        seeds.forEach(s::add);
        ObjectNode settings = n.putObject("method_settings");
        for (String method : methods) settings.put(method, methodSettings.get(method));
        return n;
    }

    void write(Path folder) throws IOException {
        AtomicFiles.write(folder.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
    }

    /** The definition stored in {@code folder}, or null when the folder holds no experiment. */
    static ObjectNode storedDefinition(Path folder) throws IOException {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) return null;
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not readable as JSON (" + e.getMessage() + ")", e);
        }
        if (!(n instanceof ObjectNode o)) throw new IOException(file + ": expected a JSON object");
        ObjectNode d = o.deepCopy();
        d.remove("methods");
        d.remove("seeds");
        return d; // method_settings stays: differencesFrom compares it for the methods both runs have
    }

    /** The settings (dotted paths) whose values differ between this plan and a stored definition; empty when none. */
    List<String> differencesFrom(ObjectNode stored) {
        List<String> out = new ArrayList<>();
        ObjectNode before = stored.deepCopy();
        JsonNode storedSettings = before.remove("method_settings");
        JsonDifferences.collect("", definition, before, out);
        // An experiment written before settings were recorded has none to compare.
        if (storedSettings instanceof ObjectNode settings) {
            for (String m : methods) {
                JsonNode was = settings.get(m);
                if (was != null && !was.asText().equals(methodSettings.get(m))) {
                    out.add("method " + m + " (was " + was.asText() + ", now " + methodSettings.get(m) + ")");
                }
            }
        }
        return out;
    }
}
