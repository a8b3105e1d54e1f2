package io.elektron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.model.ElectraModel;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfModels;
import io.elektron.model.train.PadToken;
import io.elektron.model.train.Batches;
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
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Model folder or hub id (any ELECTRA/BERT encoder).")
    String model;

    @Option(names = "--input", required = true, description = "Texts: .txt, .jsonl, .tsv, .csv.")
    Path input;

    @Option(names = "--pooling", defaultValue = "cls", description = "none (every token's state), cls, or mean (over real tokens). Default: ${DEFAULT-VALUE}.")
    String pooling;

    @Option(names = "--max-length", defaultValue = "512", description = "Default: ${DEFAULT-VALUE}.")
    int maxLength;

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
        PrintWriter out = spec.commandLine().getOut();
        Path folder = ModelSource.resolve(model);
        ElectraModel encoder = HfModels.encoder(folder, 0).model();
        encoder.eval();
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(folder);
        Dataset d = InferenceInputs.read(input, null, false);
        List<TokenizedExample> examples = InferenceInputs.encode(tokenizer, d, Math.min(maxLength, encoder.config().maxPositionEmbeddings()));
        ObjectMapper mapper = new ObjectMapper();
        int h = encoder.config().hiddenSize();
        // One example per forward: outputs come back in input order with no padding in them.
        try (GradMode off = GradMode.disabled()) {
            for (TokenizedExample e : examples) {
                try (TensorScope scope = TensorScope.open()) {
                    Batches.Batch b = Batches.inOrder(List.of(e), 1, PadToken.id(tokenizer, encoder.config())).get(0);
                    Tensor states = encoder.forward(b.input()).lastHiddenState();
                    float[] v = states.toFloatArray(); // [1, T, H]
                    int t = e.length();
                    ObjectNode n = mapper.createObjectNode();
                    if (pooling.equals("none")) {
                        ArrayNode rows = n.putArray("last_hidden_state");
                        for (int i = 0; i < t; i++) {
                            ArrayNode row = rows.addArray();
                            for (int j = 0; j < h; j++) row.add(v[i * h + j]);
                        }
                    } else {
                        float[] pooled = new float[h];
                        if (pooling.equals("cls")) System.arraycopy(v, 0, pooled, 0, h);
                        else {
                            for (int i = 0; i < t; i++) for (int j = 0; j < h; j++) pooled[j] += v[i * h + j] / t;
                        }
                        ArrayNode emb = n.putArray("embedding");
                        for (float x : pooled) emb.add(x);
                    }
                    if (json) out.println(mapper.writeValueAsString(n));
                    else out.println("#" + (e.index() + 1) + " " + (pooling.equals("none") ? t + " x " + h + " hidden states" : h + "-d " + pooling + " embedding"));
                }
            }
        }
        return ExitCode.OK;
    }
}
