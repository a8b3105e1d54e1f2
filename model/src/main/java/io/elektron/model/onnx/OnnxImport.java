package io.elektron.model.onnx;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns a BERT-family ONNX export into a HuggingFace model folder Elektron (and HF) loads: {@code config.json},
 * {@code model.safetensors} with HF names, and the tokenizer.
 */
public final class OnnxImport {
    private OnnxImport() {
    }

    /**
     * @param onnxFile      the exported model ({@code model.onnx})
     * @param tokenizerJson the HF {@code tokenizer.json} that goes with it, or null when there is none
     * @param outDir        the folder to write (created; must not hold a model already)
     * @return a one-line summary of what was recognised (layers, hidden size, heads, ...)
     */
    public static String toHfFolder(Path onnxFile, Path tokenizerJson, Path outDir) throws IOException {
        throw new UnsupportedOperationException("ONNX import is being written");
    }
}
