package io.elektron.model.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.elektron.model.ElectraConfig;
import io.elektron.model.io.AtomicFiles;
import io.elektron.model.onnx.proto.ModelProto;
import io.elektron.weights.SafetensorsWriter;
import io.elektron.weights.StoredTensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a BERT-family ONNX export into a HuggingFace model folder Elektron (and HF) loads: {@code config.json} (an
 * ELECTRA encoder whose embedding size equals its hidden size: exactly BERT's architecture), {@code model.safetensors}
 * with HF names, and the tokenizer. The weights are found by the graph's structure ({@link BertGraphRecognizer}).
 */
public final class OnnxImport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Raised whenever what an import writes changes (names, config keys, files), so that folders converted by an
     * earlier version are converted again rather than used as they are.
     */
    public static final int OUTPUT_VERSION = 1;

    private OnnxImport() {
    }

    /**
     * @param onnxFile      the exported model ({@code model.onnx})
     * @param tokenizerJson the HF {@code tokenizer.json} that goes with it, or null when there is none
     * @param outDir        the folder to write; must not exist or be empty. It appears complete or not at all (written
     *                      beside it, then renamed)
     * @return a one-line summary of what was recognised (layers, hidden size, heads, ...)
     */
    public static String toHfFolder(Path onnxFile, Path tokenizerJson, Path outDir) throws IOException {
        if (Files.isDirectory(outDir)) {
            try (Stream<Path> entries = Files.list(outDir)) {
                if (entries.findAny().isPresent()) throw new IOException(outDir + " is not empty; import into a new folder");
            }
        }
        RecognizedEncoder encoder = recognize(onnxFile);
        Path absolute = outDir.toAbsolutePath().normalize();
        Files.createDirectories(absolute.getParent());
        // Not Files.createTempDirectory: its owner-only permissions would stay with the renamed folder.
        Path staging = Files.createDirectory(absolute.resolveSibling("." + absolute.getFileName() + ".importing-"
                + Long.toUnsignedString(System.nanoTime(), 36)));
        try {
            List<StoredTensor> tensors = new ArrayList<>();
            for (var e : encoder.weights().entrySet()) {
                tensors.add(StoredTensor.ofFloats(e.getKey(), e.getValue().shape(), e.getValue().values()));
            }
            SafetensorsWriter.write(staging.resolve("model.safetensors"), tensors, SafetensorsWriter.PYTORCH_METADATA);
            int padId = tokenizerJson == null ? 0 : padTokenId(tokenizerJson);
            ElectraConfig config = new ElectraConfig(encoder.vocabSize(), encoder.hiddenSize(), encoder.hiddenSize(),
                    encoder.numLayers(), encoder.numHeads(), encoder.intermediateSize(), "gelu", 0.1f, 0.1f, null,
                    encoder.maxPositions(), encoder.typeVocabSize(), 0.02f, encoder.layerNormEps(), padId, List.of(), null,
                    JSON.createObjectNode().put("model_type", "electra"));
            ObjectNode json = config.toJson("ElectraModel");
            json.put("_imported_from", onnxFile.getFileName().toString());
            AtomicFiles.write(staging.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
            if (tokenizerJson != null) Files.copy(tokenizerJson, staging.resolve("tokenizer.json"));
            if (Files.isDirectory(absolute)) Files.delete(absolute); // empty, checked above
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(staging)) {
                try (Stream<Path> files = Files.walk(staging)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        }
        return encoder.summary();
    }

    /** Reads and recognises the encoder, without writing anything. */
    static RecognizedEncoder recognize(Path onnxFile) throws IOException {
        try (InputStream in = Files.newInputStream(onnxFile)) {
            return recognize(in, onnxFile.toString());
        }
    }

    /** The same from a stream; {@code source} names it in messages. */
    static RecognizedEncoder recognize(InputStream in, String source) throws IOException {
        ModelProto model;
        try {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE); // the weights are inside: hundreds of megabytes
            model = ModelProto.parseFrom(coded);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(source + ": not a readable ONNX model (" + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new OnnxFormatException(source + ": not an ONNX model (no graph)");
        }
        try {
            return new BertGraphRecognizer(new OnnxGraph(model.getGraph())).recognize();
        } catch (OnnxFormatException e) {
            throw new OnnxFormatException(source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Arithmetic on hostile dims (overflowing sizes, negative counts): still a bad file, not a crash.
            throw new OnnxFormatException(source + ": inconsistent graph (" + e + ")", e);
        }
    }

    private static int padTokenId(Path tokenizerJson) throws IOException {
        var root = JSON.readTree(tokenizerJson.toFile());
        var padding = root.path("padding");
        return padding.isObject() ? padding.path("pad_id").asInt(0) : 0;
    }
}
