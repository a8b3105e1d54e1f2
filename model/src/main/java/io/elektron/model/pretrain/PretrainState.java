package io.elektron.model.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.core.optim.AdamW;
import io.elektron.weights.Checkpoint;
import io.elektron.weights.SafetensorsWriter;
import io.elektron.weights.StoredTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        List<StoredTensor> tensors = new ArrayList<>();
        List<float[][]> state = optimizer.exportState();
        for (int i = 0; i < state.size(); i++) {
            float[][] s = state.get(i);
            if (s == null) continue;
            tensors.add(StoredTensor.ofFloats("step." + i, new long[]{1}, s[0]));
            tensors.add(StoredTensor.ofFloats("m." + i, new long[]{s[1].length}, s[1]));
            tensors.add(StoredTensor.ofFloats("v." + i, new long[]{s[2].length}, s[2]));
        }
        SafetensorsWriter.write(file, tensors, Map.of("format", "elektron-adamw"));
    }

    static void readOptimizer(AdamW optimizer, Path folder) throws IOException {
        Path file = folder.resolve(OPTIMIZER_FILE);
        int count = optimizer.exportState().size();
        List<float[][]> state = new ArrayList<>(count);
        try (Checkpoint c = Checkpoint.open(file)) {
            for (int i = 0; i < count; i++) {
                if (!c.contains("step." + i)) {
                    state.add(null);
                    continue;
                }
                state.add(new float[][]{c.get("step." + i).toFloatArray(), c.get("m." + i).toFloatArray(), c.get("v." + i).toFloatArray()});
            }
            optimizer.importState(state);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": optimizer state does not match these models: " + e.getMessage(), e);
        }
    }
}
