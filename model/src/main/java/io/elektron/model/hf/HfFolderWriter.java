package io.elektron.model.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.elektron.core.Tensor;
import io.elektron.core.nn.Module;
import io.elektron.model.ElectraConfig;
import io.elektron.model.io.FolderSwap;
import io.elektron.weights.SafetensorsWriter;
import io.elektron.weights.StoredTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves a model as a HuggingFace folder that {@code from_pretrained} loads as it is: config.json (with id2label,
 * label2id, problem_type), model.safetensors (metadata {"format": "pt"}, which transformers requires; encoder keys
 * `electra.`-prefixed, which it requires next to a head; a tied tensor stored once, as save_pretrained does), and the
 * tokenizer files copied byte for byte (HF's own save rewrites vocab.txt and shifts ids when it has duplicate lines).
 *
 * <p>The folder is built beside the target and swapped in by renames ({@link FolderSwap}), so a crash leaves either
 * the old complete checkpoint or the new complete one, never a half-written one, and the checkpoint is a plain folder.
 */
public final class HfFolderWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> TOKENIZER_FILES = List.of("vocab.txt", "tokenizer_config.json",
            "special_tokens_map.json", "tokenizer.json");

    private HfFolderWriter() {
    }

    /** Writes one file of the checkpoint, given its path inside the staging folder (content that streams to disk). */
    @FunctionalInterface
    public interface FileContent {
        void writeTo(Path file) throws IOException;
    }

    /**
     * @param extraFiles additional files to write (name -> bytes), e.g. thresholds.json
     * @param tokenizerSource folder to copy tokenizer files from (may be null)
     */
    public static void save(Path target, Module model, ElectraConfig config, String architecture, Path tokenizerSource,
                            Map<String, byte[]> extraFiles) throws IOException {
        save(target, model, config, architecture, tokenizerSource, extraFiles, Map.of());
    }

    /** As above, plus files that write themselves into the staging folder (name -> writer), e.g. optimizer state. */
    public static void save(Path target, Module model, ElectraConfig config, String architecture, Path tokenizerSource,
                            Map<String, byte[]> extraFiles, Map<String, FileContent> writtenFiles) throws IOException {
        Path staging = FolderSwap.stagingFolder(target);
        try {
            Files.write(staging.resolve("config.json"), JSON.writeValueAsBytes(config.toJson(architecture)));
            SafetensorsWriter.write(staging.resolve("model.safetensors"), tensors(model), SafetensorsWriter.PYTORCH_METADATA);
            if (tokenizerSource != null) {
                for (String name : TOKENIZER_FILES) {
                    Path src = tokenizerSource.resolve(name);
                    if (Files.isRegularFile(src)) Files.copy(src, staging.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (var e : extraFiles.entrySet()) Files.write(staging.resolve(e.getKey()), e.getValue());
            for (var e : writtenFiles.entrySet()) e.getValue().writeTo(staging.resolve(e.getKey()));
            FolderSwap.publish(staging, target);
        } catch (IOException | RuntimeException e) {
            FolderSwap.deleteTree(staging);
            throw e;
        }
    }

    /** Parameters in state-dict order, each distinct tensor once (the first name wins, as HF drops tied aliases). */
    static List<StoredTensor> tensors(Module model) {
        List<StoredTensor> out = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (var e : model.namedParameters().entrySet()) {
            Tensor t = e.getValue();
            if (seen.put(t, Boolean.TRUE) != null) continue;
            long[] shape = java.util.Arrays.stream(t.shape()).asLongStream().toArray();
            out.add(StoredTensor.ofFloats(e.getKey(), shape, t.toFloatArray()));
        }
        return out;
    }
}
