package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.model.ElectraModel;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfModels;
import io.elektron.model.train.PadToken;
import io.elektron.model.train.FeatureExtractor;
import io.elektron.model.train.Pooling;
import io.elektron.model.train.TokenizedExample;
import io.elektron.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "encode", mixinStandardHelpOptions = true, description = "Feature extraction: the encoder's hidden states or a pooled embedding per input.")
final class EncodeCommand implements Callable<Integer> {
    /**
     * The input length for a model that records no fine-tuning length. Not the 128 of eval and predict: encode serves
     * general encoders (sentence embedders, base models), whose embeddings HF computes over the whole input up to 512.
     */
    private static final int UNRECORDED_MAX_LENGTH = 512;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model folder, hub id, or Maven model (maven:GROUP:ARTIFACT:VERSION, all-minilm-l6-v2): any ELECTRA/BERT encoder.")
    String model;

    @Option(names = "--input", required = true, description = "Texts: .txt, .jsonl, .tsv, .csv.")
    Path input;

    @Option(names = "--pooling", defaultValue = "cls", description = "none (every token's state), cls, or mean (over real tokens). Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--max-length", description = "Truncate to this many tokens. Default: the length the model was fine-tuned with (training_args.json in the model folder), else 512 (fewer if the model has fewer positions): a general encoder sees whole inputs up to its limit, as in HF.")
    Integer maxLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Inputs per forward pass (sorted by length, real"
            + " tokens only; output stays in input order). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--json", description = "One JSON line per input.")
    boolean json;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (!List.of("none", "cls", "mean").contains(pooling)) {
            throw new IllegalArgumentException("--pooling must be none, cls or mean, got '" + pooling + "'");
        }
        if (batchSize <= 0) throw new IllegalArgumentException("--batch-size must be positive, got " + batchSize);
        PrintWriter out = spec.commandLine().getOut();
        Path folder = ModelSource.resolve(model);
        ElectraModel encoder = HfModels.encoder(folder, 0).model();
        encoder.eval();
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(folder);
        Dataset d = InferenceInputs.read(input, null, false, spec.commandLine().getErr());
        int length = InferenceInputs.maxLength(maxLength, folder, UNRECORDED_MAX_LENGTH, encoder.config().maxPositionEmbeddings());
        List<TokenizedExample> examples = InferenceInputs.encode(tokenizer, d, length);
        ObjectMapper mapper = new ObjectMapper();
        Pooling mode = Pooling.parse(pooling);
        // Sorted by length a window at a time, run packed, written back in input order.
        try (InferenceProgress progress = new InferenceProgress("encode", examples.size(), spec.commandLine().getErr())) {
            new FeatureExtractor(encoder, batchSize, PadToken.id(tokenizer, encoder.config()), mode).run(examples, f -> {
                progress.accept(1);
                write(f, mode, mapper, out);
            });
        }
        return ExitCode.OK;
    }

    private void write(FeatureExtractor.Features f, Pooling mode, ObjectMapper mapper, PrintWriter out) {
        int h = f.hidden();
        float[] v = f.values();
        if (!json) {
            out.println("#" + (f.example().index() + 1) + " " + (mode == Pooling.NONE ? f.rows() + " x " + h
                    + " hidden states" : h + "-d " + pooling + " embedding"));
            return;
        }
        ObjectNode n = mapper.createObjectNode();
        if (mode == Pooling.NONE) {
            ArrayNode rows = n.putArray("last_hidden_state");
            for (int i = 0; i < f.rows(); i++) {
                ArrayNode row = rows.addArray();
                for (int j = 0; j < h; j++) row.add(v[i * h + j]);
            }
        } else {
            ArrayNode emb = n.putArray("embedding");
            for (float x : v) emb.add(x);
        }
        try {
            out.println(mapper.writeValueAsString(n));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
