package io.elektron.model.pretrain;

import io.elektron.model.io.AdamWStateFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.core.optim.AdamW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a resumed pre-training run needs beyond the two models' weights: the optimizer steps taken, the dropout seed
 * stream's position, the options that decide which micro-batch, mask and sample come next (seed, batch size,
 * accumulation, number of training sequences), and AdamW's moments (optimizer.safetensors). Masks, samples and the data
 * order are functions of (seed, micro-batch index), so nothing else is needed to continue the same run exactly.
 */
record PretrainState(long step, long seed, long seedPosition, int batchSize, int accumulation, int trainSequences,
                     int totalSteps) {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STATE_FILE = "pretrain_state.json";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";

    byte[] toJsonBytes() throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("step", step);
        n.put("seed", seed);
        n.put("seed_position", seedPosition);
        n.put("batch_size", batchSize);
        n.put("accumulation", accumulation);
        n.put("train_sequences", trainSequences);
        n.put("total_steps", totalSteps);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    }

    static PretrainState read(Path folder) throws IOException {
        Path file = folder.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not found; --resume needs the 'last' checkpoint folder written by elektron pretrain");
        }
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON", e);
        }
        for (String key : new String[]{"step", "seed", "seed_position", "batch_size", "accumulation", "train_sequences", "total_steps"}) {
            if (!n.has(key)) throw new IOException(file + ": missing key '" + key + "'");
        }
        return new PretrainState(n.get("step").asLong(), n.get("seed").asLong(), n.get("seed_position").asLong(),
                n.get("batch_size").asInt(), n.get("accumulation").asInt(), n.get("train_sequences").asInt(),
                n.get("total_steps").asInt());
    }

    /** Refuses to continue with options that would feed different batches than the interrupted run. */
    void requireSameRun(PretrainOptions o, int sequences, Path folder) {
        List<String> differences = new ArrayList<>();
        if (seed != o.seed()) differences.add("seed " + seed + " vs " + o.seed());
        if (batchSize != o.batchSize()) differences.add("batch size " + batchSize + " vs " + o.batchSize());
        if (accumulation != o.accumulation()) differences.add("accumulation " + accumulation + " vs " + o.accumulation());
        if (trainSequences != sequences) {
            differences.add("training sequences " + trainSequences + " vs " + sequences + " (same corpus, vocabulary and --max-length?)");
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("resume: " + folder + " was written by a run with other settings ("
                    + String.join(", ", differences) + "; checkpoint vs now): use the same options to continue it");
        }
    }

    /** AdamW's per-parameter step and moments as one safetensors file. */
    static void writeOptimizer(AdamW optimizer, Path file) throws IOException {
        AdamWStateFile.write(optimizer, file);
    }

    static void readOptimizer(AdamW optimizer, Path folder) throws IOException {
        AdamWStateFile.read(optimizer, folder.resolve(OPTIMIZER_FILE));
    }
}
