package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.core.Tensor;
import io.elektron.model.io.AtomicFiles;
import io.elektron.model.train.TrainingOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code run.json}: what a training run was, so that its results can be traced and checked: every training option,
 * the model and data files (path and SHA-256), the Elektron build, Java, the backend and threads, and when it started
 * and ended. A resumed run compares itself with the record and refuses to continue with other options or other data.
 */
final class RunRecord {
    static final String FILE = "run.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode node;

    private RunRecord(ObjectNode node) {
        this.node = node;
    }

    /**
     * @param command the command that trains (train, quickstart, experiment adv)
     * @param model   the model folder trained from (null: from scratch)
     * @param data    split name -> file (null entries are left out)
     * @param limit   --limit, the training examples used (null: all)
     */
    static RunRecord of(String command, Path model, Map<String, Path> data, Integer limit, TrainingOptions options)
            throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("command", command);
        n.put("model", model == null ? "random initialisation" : model.toAbsolutePath().normalize().toString());
        ObjectNode files = n.putObject("data");
        for (var e : data.entrySet()) {
            if (e.getValue() == null) continue;
            ObjectNode f = files.putObject(e.getKey());
            f.put("path", e.getValue().toAbsolutePath().normalize().toString());
            f.put("sha256", FileDigest.sha256(e.getValue()));
        }
        if (limit != null) files.put("train_limit", limit);
        ObjectNode o = JSON.valueToTree(options);
        o.put("adversarial", options.adversarial().describe());
        // Through text and back, as the stored record will be read, so that equal options compare equal.
        n.set("options", JSON.readTree(JSON.writeValueAsBytes(o)));
        ObjectNode env = n.putObject("environment");
        String version = RunRecord.class.getPackage().getImplementationVersion();
        env.put("elektron", version == null ? "development build" : version);
        env.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("backend", Tensor.defaultBackend().describe());
        env.put("available_processors", Runtime.getRuntime().availableProcessors());
        return new RunRecord(n);
    }

    /** Writes the record with the start time (a resumed run keeps the first start and adds this one). */
    void started(Path runDir, boolean resumed) throws IOException {
        ObjectNode previous = read(runDir);
        String now = Instant.now().toString();
        node.put("started", resumed && previous != null ? previous.path("started").asText(now) : now);
        if (resumed) {
            var resumes = node.putArray("resumed");
            if (previous != null) previous.path("resumed").forEach(resumes::add);
            resumes.add(now);
        }
        node.remove("finished");
        write(runDir);
    }

    void finished(Path runDir) throws IOException {
        node.put("finished", Instant.now().toString());
        write(runDir);
    }

    /**
     * Before resuming: the options and data must be those the run started with (the model too). Refuses with every
     * difference named; a run folder without a record (written by an older version) is accepted.
     */
    void requireSameRunAs(Path runDir) throws IOException {
        ObjectNode previous = read(runDir);
        if (previous == null) return;
        List<String> differences = new ArrayList<>();
        for (String key : List.of("model", "data", "options")) JsonDifferences.collect(key, node.get(key), previous.get(key), differences);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("--resume: " + runDir.resolve(FILE) + " records another run: "
                    + String.join("; ", differences) + ". Resume with the same options and data, or start a new run");
        }
    }

    private static ObjectNode read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return null;
        try {
            return JSON.readTree(file.toFile()) instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            throw new IOException(file + ": not readable as JSON (" + e.getMessage() + ")", e);
        }
    }

    private void write(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        AtomicFiles.write(runDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }
}
