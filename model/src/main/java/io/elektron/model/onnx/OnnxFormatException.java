package io.elektron.model.onnx;

import java.io.IOException;

/**
 * An ONNX file that cannot be imported: not a readable model, or a graph that is not a BERT-family encoder in a form
 * the importer recognises. The message names the node or tensor and what was expected versus found.
 */
public final class OnnxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
