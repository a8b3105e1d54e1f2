package io.elektron.model.train;

import io.elektron.model.io.AdamWStateFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.core.optim.AdamW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a resumed run needs beyond the weights: epochs done, optimizer steps taken, the dropout seed stream's position,
 * the best dev score so far, and AdamW's moments (optimizer.safetensors). Written atomically next to the weights.
 */
public record TrainerState(int epochsDone, int batchesDoneInEpoch, long globalStep, long seed, long seedPosition,
                           double bestScore, int bestEpoch, int epochsWithoutImprovement, EpochProgress progress) {

    /** Running sums of an epoch interrupted part-way (all zero at an epoch boundary). */
    public record EpochProgress(double lossSum, int lossCount, long tokens, double perturbationSum, double increaseSum,
                                int increaseCount, double seconds) {
        static final EpochProgress NONE = new EpochProgress(0, 0, 0, 0, 0, 0, 0);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String STATE_FILE = "trainer_state.json";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";

    byte[] toJsonBytes() throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("epochs_done", epochsDone);
        n.put("batches_done_in_epoch", batchesDoneInEpoch);
        ObjectNode p = n.putObject("epoch_progress");
        p.put("loss_sum", progress.lossSum());
        p.put("loss_count", progress.lossCount());
        p.put("tokens", progress.tokens());
        p.put("perturbation_sum", progress.perturbationSum());
        p.put("increase_sum", progress.increaseSum());
        p.put("increase_count", progress.increaseCount());
        p.put("seconds", progress.seconds());
        n.put("global_step", globalStep);
        n.put("seed", seed);
        n.put("seed_position", seedPosition);
        n.put("best_score", bestScore);
        n.put("best_epoch", bestEpoch);
        n.put("epochs_without_improvement", epochsWithoutImprovement);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    }

    static TrainerState read(Path folder) throws IOException {
        Path file = folder.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) throw new IOException(file + ": not found; resume needs a 'last' checkpoint written by elektron train");
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON", e);
        }
        for (String key : new String[]{"epochs_done", "global_step", "seed", "seed_position", "best_score", "best_epoch"}) {
            if (!n.has(key)) throw new IOException(file + ": missing key '" + key + "'");
        }
        JsonNode p = n.path("epoch_progress");
        EpochProgress progress = new EpochProgress(p.path("loss_sum").asDouble(0), p.path("loss_count").asInt(0),
                p.path("tokens").asLong(0), p.path("perturbation_sum").asDouble(0), p.path("increase_sum").asDouble(0),
                p.path("increase_count").asInt(0), p.path("seconds").asDouble(0));
        return new TrainerState(n.get("epochs_done").asInt(), n.path("batches_done_in_epoch").asInt(0),
                n.get("global_step").asLong(), n.get("seed").asLong(), n.get("seed_position").asLong(),
                n.get("best_score").asDouble(), n.get("best_epoch").asInt(), n.path("epochs_without_improvement").asInt(0),
                progress);
    }

    /** AdamW's state as a safetensors file inside the checkpoint folder being written. */
    static void writeOptimizer(AdamW optimizer, Path file) throws IOException {
        AdamWStateFile.write(optimizer, file);
    }

    static void loadOptimizer(AdamW optimizer, Path folder) throws IOException {
        AdamWStateFile.read(optimizer, folder.resolve(OPTIMIZER_FILE));
    }
}
