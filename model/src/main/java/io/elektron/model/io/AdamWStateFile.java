package io.elektron.model.io;

import io.elektron.core.optim.AdamW;
import io.elektron.weights.Checkpoint;
import io.elektron.weights.SafetensorsWriter;
import io.elektron.weights.StoredTensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AdamW's per-parameter step count and moments as one safetensors file ({@code step.i}, {@code m.i}, {@code v.i} for
 * the i-th parameter in group order), so that a resumed run continues the same optimizer trajectory.
 */
public final class AdamWStateFile {
    private AdamWStateFile() {
    }

    /** Writes the optimizer's state to {@code file} (atomically). */
    public static void write(AdamW optimizer, Path file) throws IOException {
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

    /** Restores what {@link #write} saved for the same parameter list; a mismatch names the file. */
    public static void read(AdamW optimizer, Path file) throws IOException {
        int count = optimizer.exportState().size();
        List<float[][]> state = new ArrayList<>(count);
        try (Checkpoint c = Checkpoint.open(file)) {
            for (int i = 0; i < count; i++) {
                if (!c.contains("step." + i)) {
                    state.add(null);
                    continue;
                }
                state.add(new float[][]{c.get("step." + i).toFloatArray(), c.get("m." + i).toFloatArray(),
                        c.get("v." + i).toFloatArray()});
            }
            optimizer.importState(state);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": optimizer state does not match this model: " + e.getMessage(), e);
        }
    }
}
