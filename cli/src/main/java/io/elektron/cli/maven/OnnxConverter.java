package io.elektron.cli.maven;

import io.elektron.model.onnx.OnnxImport;

import java.io.IOException;
import java.nio.file.Path;

/** Turns an ONNX export (and its tokenizer.json) into an HF model folder; an interface so tests need no real model. */
@FunctionalInterface
public interface OnnxConverter {
    /** The real converter of the model module. */
    OnnxConverter ONNX_IMPORT = OnnxImport::toHfFolder;

    /**
     * @param tokenizerJson null when the jar has none
     * @param outDir        does not exist yet; the converter creates it
     * @return a one-line summary of what was converted
     */
    String toHfFolder(Path onnxFile, Path tokenizerJson, Path outDir) throws IOException;
}
