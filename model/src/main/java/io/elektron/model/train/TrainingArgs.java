package io.elektron.model.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * {@code training_args.json}: the options a checkpoint was trained with, saved inside every checkpoint folder (as HF's
 * Trainer saves its training_args.bin), so that the folder says how to use it wherever it is copied. Inference reads
 * {@code max_length} from it: a classifier fine-tuned on inputs cut at 128 tokens is scored on inputs cut the same way.
 */
public final class TrainingArgs {
    public static final String FILE_NAME = "training_args.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingArgs() {
    }

    static byte[] toJsonBytes(TrainingOptions o) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("max_length", o.maxLength());
        n.put("epochs", o.epochs());
        n.put("batch_size", o.batchSize());
        n.put("gradient_accumulation", o.gradientAccumulation());
        n.put("learning_rate", o.learningRate());
        n.put("weight_decay", o.weightDecay());
        n.put("adam_eps", o.adamEps());
        n.put("warmup_ratio", o.warmupRatio());
        n.put("max_grad_norm", o.maxGradNorm());
        n.put("layerwise_lr_decay", o.layerwiseLrDecay());
        n.put("pos_weight", o.posWeight().name().toLowerCase(java.util.Locale.ROOT));
        n.put("adversarial", o.adversarial().describe());
        n.put("patience", o.patience());
        n.put("max_steps", o.maxSteps());
        n.put("seed", o.seed());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
    }

    /**
     * The input length (in tokens, [CLS] and [SEP] included) the checkpoint in {@code folder} was trained with; empty
     * when the folder has no training_args.json (a hub model, a checkpoint from another tool).
     *
     * @throws IOException naming the file when it exists but holds no usable {@code max_length}
     */
    public static OptionalInt maxLength(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) return OptionalInt.empty();
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON", e);
        }
        JsonNode n = root == null ? null : root.get("max_length");
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 2) {
            throw new IOException(file + ": expected 'max_length', a whole number of tokens >= 2, found "
                    + (n == null ? "none" : n.toString()));
        }
        return OptionalInt.of(n.asInt());
    }
}
