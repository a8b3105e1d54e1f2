package io.elektron.model.hf;

import io.elektron.core.Tensor;
import io.elektron.core.nn.Module;
import io.elektron.weights.Checkpoint;
import io.elektron.weights.StoredTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Fills a module's parameters from a HuggingFace model folder (model.safetensors preferred, else pytorch_model.bin),
 * matching names as HF does. Shape mismatches are errors; missing parameters are errors unless the caller allows them
 * (a fresh classification head on a pretrained encoder); unused tensors are reported.
 */
public final class PretrainedLoader {
    private PretrainedLoader() {
    }

    /** The weights file of a model folder, or a clear error naming what was looked for. */
    public static Path weightsFile(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) throw new IOException(folder + ": not a model folder (directory not found)");
        Path st = folder.resolve("model.safetensors");
        if (Files.isRegularFile(st)) return st;
        Path bin = folder.resolve("pytorch_model.bin");
        if (Files.isRegularFile(bin)) return bin;
        throw new IOException(folder + ": no model.safetensors or pytorch_model.bin in this folder");
    }

    /**
     * Loads a checkpoint file into {@code model}.
     *
     * @param mayBeMissing parameters allowed to be absent (they keep their initialisation and are reported)
     * @param tiedTo       parameter name -> name of the parameter it is tied to (filled by the tie, not the file)
     */
    public static LoadReport load(Module model, Path file, Predicate<String> mayBeMissing, Map<String, String> tiedTo)
            throws IOException {
        Map<String, Tensor> params = model.namedParameters();
        boolean prefixed = params.keySet().stream().anyMatch(n -> n.startsWith("electra."));
        List<String> loaded = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> tied = new ArrayList<>();
        Set<String> used = new HashSet<>();
        Map<Tensor, String> filled = new IdentityHashMap<>();
        try (Checkpoint ckpt = Checkpoint.open(file)) {
            for (var e : params.entrySet()) {
                String name = e.getKey();
                Tensor p = e.getValue();
                if (tiedTo.containsKey(name)) {
                    tied.add(name + " -> " + tiedTo.get(name));
                    continue;
                }
                String key = null;
                for (String candidate : CheckpointKeys.candidates(name, prefixed)) {
                    if (ckpt.contains(candidate)) {
                        key = candidate;
                        break;
                    }
                }
                if (key == null) {
                    if (filled.containsKey(p)) continue; // the same tensor under another name was loaded
                    missing.add(name);
                    continue;
                }
                StoredTensor st = ckpt.get(key);
                long[] expected = Arrays.stream(p.shape()).asLongStream().toArray();
                if (!Arrays.equals(expected, st.shape())) {
                    throw new IOException(file + ": tensor '" + key + "' has shape " + Arrays.toString(st.shape())
                            + " but parameter '" + name + "' needs " + Arrays.toString(expected)
                            + " (does config.json match these weights?)");
                }
                if (!st.dtype().isFloatingPoint()) {
                    throw new IOException(file + ": tensor '" + key + "' has dtype " + st.dtype() + ", expected a float type");
                }
                p.copyFrom(st.toFloatArray());
                used.add(key);
                loaded.add(name);
                filled.put(p, name);
            }
            List<String> unexpected = new ArrayList<>();
            for (String key : ckpt.names()) {
                if (!used.contains(key) && !CheckpointKeys.ignorable(key) && !isAliasOfTied(key, tiedTo)) unexpected.add(key);
            }
            List<String> fatal = missing.stream().filter(mayBeMissing.negate()).toList();
            if (!fatal.isEmpty()) {
                throw new IOException(file + ": missing " + fatal.size() + " needed weight(s): "
                        + fatal.subList(0, Math.min(8, fatal.size())) + (fatal.size() > 8 ? " ..." : "")
                        + (unexpected.isEmpty() ? "" : "; the file has instead: "
                        + unexpected.subList(0, Math.min(8, unexpected.size())) + (unexpected.size() > 8 ? " ..." : "")));
            }
            return new LoadReport(loaded, missing, unexpected, tied);
        }
    }

    private static boolean isAliasOfTied(String key, Map<String, String> tiedTo) {
        return tiedTo.containsKey(key);
    }
}
