package io.elektron.bench.realtext;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.bench.ProcessStats;
import io.elektron.bench.SgemmRate;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.ElectraModel;
import io.elektron.model.adversarial.AdversarialTraining;
import io.elektron.model.data.Dataset;
import io.elektron.model.data.DatasetReader;
import io.elektron.model.hf.HfModels;
import io.elektron.model.train.Batches;
import io.elektron.model.train.ExampleEncoder;
import io.elektron.model.train.FeatureExtractor;
import io.elektron.model.train.PadToken;
import io.elektron.model.train.Pooling;
import io.elektron.model.train.TokenizedExample;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingListener;
import io.elektron.model.train.TrainingOptions;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark of record: real GoEmotions text through the real MiniLM-L6 encoder, as users run it.
 *
 * <ul>
 *   <li>{@code train} / {@code fgm}: {@link Trainer} fine-tuning (what {@code elektron train} runs) on the first
 *       {@code --train-lines} lines of GoEmotions train, batch 32 shuffled, max length 128, lr 5e-5, clean or with FGM
 *       (eps 1). Each optimizer step is timed from the trainer's progress events; evaluation and checkpoints between
 *       epochs are not. One epoch per round; the first {@code --warmup} steps of the first epoch are not timed.</li>
 *   <li>{@code encode}: {@link FeatureExtractor} (what {@code elektron encode --pooling mean} runs) over GoEmotions
 *       test, batch 32: sorted by length inside a window, packed, results in input order.</li>
 *   <li>{@code dump}: writes the exact batches both workloads use (train: each epoch's shuffle; encode: test in file
 *       order, 32 per batch) as JSON lines for the PyTorch twin ({@code bench/pytorch/real_text_bench.py}).</li>
 * </ul>
 *
 * Reports real (non-padding) tokens per second and the fraction of the machine's sgemm rate that real-token FLOPs
 * reach (FLOPs counted for real tokens only: 2 per parameter per token forward, 6 for a training step, plus
 * attention's 4 * L * d * T per token forward and 12 * L * d * T for training, at each sequence's own T).
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -XX:+UseSerialGC -Xmn32m -cp bench/target/benchmarks.jar \
 *     io.elektron.bench.realtext.RealTextBench --mode train|fgm|encode|dump [--rounds 3] [--json out.json]
 * </pre>
 */
public final class RealTextBench {
    private RealTextBench() {
    }

    record Options(String mode, Path model, Path data, int trainLines, int devLines, int batch, int maxLength,
                   int warmup, int rounds, long seed, Path json, Path dump, Path workDir) {
        static Options parse(String[] args) {
            String mode = null;
            Path model = Path.of("../shared/models/minilm-l6-electra");
            Path data = Path.of("../shared/data/goemotions/original");
            int trainLines = 2000, devLines = 200, batch = 32, maxLength = 128, warmup = 3, rounds = 1;
            long seed = 42;
            Path json = null, dump = null, work = null;
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--mode" -> { mode = need(v, args[i]); i++; }
                    case "--model" -> { model = Path.of(need(v, args[i])); i++; }
                    case "--data" -> { data = Path.of(need(v, args[i])); i++; }
                    case "--train-lines" -> { trainLines = Integer.parseInt(need(v, args[i])); i++; }
                    case "--batch" -> { batch = Integer.parseInt(need(v, args[i])); i++; }
                    case "--max-length" -> { maxLength = Integer.parseInt(need(v, args[i])); i++; }
                    case "--warmup" -> { warmup = Integer.parseInt(need(v, args[i])); i++; }
                    case "--rounds" -> { rounds = Integer.parseInt(need(v, args[i])); i++; }
                    case "--seed" -> { seed = Long.parseLong(need(v, args[i])); i++; }
                    case "--json" -> { json = Path.of(need(v, args[i])); i++; }
                    case "--dump" -> { dump = Path.of(need(v, args[i])); i++; }
                    case "--work-dir" -> { work = Path.of(need(v, args[i])); i++; }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (--mode train|fgm|encode|dump, --model, --data, --train-lines, --batch, --max-length,"
                            + " --warmup, --rounds, --seed, --json, --dump, --work-dir)");
                }
            }
            if (mode == null || !List.of("train", "fgm", "encode", "dump").contains(mode)) {
                throw new IllegalArgumentException("--mode must be train, fgm, encode or dump");
            }
            if (mode.equals("dump") && dump == null) throw new IllegalArgumentException("--mode dump needs --dump FILE");
            return new Options(mode, model, data, trainLines, devLines, batch, maxLength, warmup, rounds, seed, json, dump,
                    work);
        }

        private static String need(String v, String option) {
            if (v == null) throw new IllegalArgumentException(option + " needs a value");
            return v;
        }
    }

    /** One workload's measurement, named like the PyTorch twin's JSON fields. */
    record Result(String engine, String mode, int batches, long realTokens, long paddedTokens, double seconds,
                  double realTokensPerS, double medianStepMs, double peakRssMb, double sgemmGflops,
                  double fractionOfSgemm, double[] rounds, double flopsPerRealToken) {
        /** With the machine's sgemm rate and the fraction of it that real-token FLOPs reach. */
        Result withSgemm(double gflops) {
            return new Result(engine, mode, batches, realTokens, paddedTokens, seconds, realTokensPerS, medianStepMs,
                    peakRssMb, gflops, realTokensPerS * flopsPerRealToken / 1e9 / gflops, rounds, flopsPerRealToken);
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.mode().equals("dump")) {
            dump(o);
            return;
        }
        Result r = o.mode().equals("encode") ? encode(o) : train(o);
        // Measured after the workload: at start-up it would race the kernel warm-up thread for the cores.
        double sgemm = SgemmRate.measure(1024, 2, 8, Integer.getInteger("elektron.threads",
                Runtime.getRuntime().availableProcessors())).bestGflops();
        r = r.withSgemm(sgemm);
        System.out.printf("elektron %-6s %,d real tokens in %d batches: %,.0f real tokens/s (median step %.1f ms),"
                        + " %.1f%% of sgemm %.0f GFLOP/s, peak RSS %.0f MB, rounds %s%n", r.mode(), r.realTokens(),
                r.batches(), r.realTokensPerS(), r.medianStepMs(), 100 * r.fractionOfSgemm(), r.sgemmGflops(),
                r.peakRssMb(), Arrays.toString(Arrays.stream(r.rounds()).map(Math::round).toArray()));
        if (o.json() != null) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode n = mapper.valueToTree(r);
            Files.writeString(o.json(), mapper.writeValueAsString(n));
        }
    }

    // ======================================================================== data

    private static Dataset firstLines(Path file, int lines) throws IOException {
        Dataset d = DatasetReader.read(file);
        return new Dataset(d.examples().subList(0, Math.min(lines, d.size())), d.labelNames());
    }

    private static List<TokenizedExample> trainSet(Options o, WordPieceTokenizer tokenizer) throws IOException {
        return new ExampleEncoder(tokenizer, o.maxLength()).encode(firstLines(o.data().resolve("train.tsv"),
                o.trainLines()).examples());
    }

    private static List<TokenizedExample> testSet(Options o, WordPieceTokenizer tokenizer) throws IOException {
        return new ExampleEncoder(tokenizer, o.maxLength()).encode(DatasetReader.read(o.data().resolve("test.tsv"))
                .examples());
    }

    private static TrainingOptions trainingOptions(Options o, boolean fgm) {
        return TrainingOptions.defaults().withEpochs(o.rounds()).withBatchSize(o.batch()).withLearningRate(5e-5f)
                .withMaxLength(o.maxLength()).withSeed(o.seed())
                .withAdversarial(fgm ? AdversarialTraining.parse("fgm", 1f, 0.3f, 3)
                        : AdversarialTraining.parse("none", 1f, 0.3f, 3));
    }

    // ======================================================================== workloads

    static Result train(Options o) throws IOException {
        boolean fgm = o.mode().equals("fgm");
        Path trainFile = o.data().resolve("train.tsv");
        Dataset train = firstLines(trainFile, o.trainLines());
        Dataset dev = firstLines(o.data().resolve("dev.tsv"), o.devLines());
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(o.model(), train.labelNames(), o.seed())
                .model();
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(o.model());
        TrainingOptions options = trainingOptions(o, fgm);
        // The trainer's own batches, in its order: real tokens of step i of epoch e.
        List<TokenizedExample> encoded = trainSet(o, tokenizer);
        int padId = PadToken.id(tokenizer, model.config());
        List<long[]> tokensPerStep = new ArrayList<>();
        for (int epoch = 1; epoch <= o.rounds(); epoch++) {
            List<Batches.Batch> batches = Batches.shuffled(encoded, o.batch(), o.seed(), epoch, padId);
            tokensPerStep.add(batches.stream().mapToLong(b -> b.input().realTokens()).toArray());
        }
        long[][] stepNanos = new long[o.rounds()][];
        for (int e = 0; e < o.rounds(); e++) stepNanos[e] = new long[tokensPerStep.get(e).length];
        long[] last = {0};
        TrainingListener timer = new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int steps) {
                last[0] = System.nanoTime();
            }

            @Override
            public void onStep(StepEvent e) {
                long now = System.nanoTime();
                stepNanos[e.epoch() - 1][e.stepInEpoch() - 1] = now - last[0];
                last[0] = now;
            }
        };
        Path work = o.workDir() != null ? o.workDir() : Files.createTempDirectory("elektron-realtext-");
        new Trainer(model, tokenizer, o.model(), options, work.resolve(o.mode()), timer).fit(train, dev, null);

        double[] perRound = new double[o.rounds()];
        List<Double> steps = new ArrayList<>();
        long real = 0;
        double seconds = 0;
        int timed = 0;
        for (int e = 0; e < o.rounds(); e++) {
            long roundTokens = 0;
            long roundNanos = 0;
            for (int s = e == 0 ? o.warmup() : 0; s < stepNanos[e].length; s++) {
                roundTokens += tokensPerStep.get(e)[s];
                roundNanos += stepNanos[e][s];
                steps.add(stepNanos[e][s] / 1e6);
                timed++;
            }
            perRound[e] = roundTokens / (roundNanos / 1e9);
            real += roundTokens;
            seconds += roundNanos / 1e9;
        }
        double flopsPerToken = flopsPerRealToken(model.electra(), encoded, fgm ? 6 : 3);
        double tokensPerS = real / seconds;
        return new Result("elektron", o.mode(), timed, real, real, seconds, tokensPerS, median(steps),
                ProcessStats.peakRssBytes() / 1e6, Double.NaN, Double.NaN, perRound, flopsPerToken);
    }

    static final int ENCODE_WARMUP_BATCHES = 32;

    static Result encode(Options o) throws IOException {
        ElectraModel encoder = HfModels.encoder(o.model(), 0).model();
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(o.model());
        List<TokenizedExample> test = testSet(o, tokenizer);
        int padId = PadToken.id(tokenizer, encoder.config());
        FeatureExtractor extractor = new FeatureExtractor(encoder, o.batch(), padId, Pooling.MEAN);
        long real = test.stream().mapToLong(TokenizedExample::length).sum();
        // Warm-up, untimed: the first ENCODE_WARMUP_BATCHES batches of the file, long enough for the JIT to compile
        // the kernels at the lengths real text has (3 batches left the first timed pass 15% slower than the second).
        extractor.run(test.subList(0, Math.min(test.size(), Math.max(o.warmup(), ENCODE_WARMUP_BATCHES) * o.batch())),
                f -> { });
        double[] perRound = new double[o.rounds()];
        List<Double> roundMs = new ArrayList<>();
        double[] checksum = new double[1];
        for (int r = 0; r < o.rounds(); r++) {
            long t0 = System.nanoTime();
            extractor.run(test, f -> checksum[0] += f.values()[0]);
            double s = (System.nanoTime() - t0) / 1e9;
            perRound[r] = real / s;
            roundMs.add(s * 1e3);
        }
        double seconds = roundMs.stream().mapToDouble(Double::doubleValue).sum() / 1e3;
        double tokensPerS = real * o.rounds() / seconds;
        double flopsPerToken = flopsPerRealToken(encoder, test, 1);
        int batches = (test.size() + o.batch() - 1) / o.batch();
        return new Result("elektron", "encode", batches * o.rounds(), real * o.rounds(), real * o.rounds(), seconds,
                tokensPerS, median(roundMs) / batches, ProcessStats.peakRssBytes() / 1e6, Double.NaN, Double.NaN,
                perRound, flopsPerToken);
    }

    /**
     * Model FLOPs per real token in units of forwards ({@code multiple} 1 inference, 3 training, 6 FGM): 2 per
     * non-embedding weight, plus attention's QK^T and PV (4 * d_model per attended key, per layer), averaged over the
     * data's own lengths.
     */
    static double flopsPerRealToken(ElectraModel encoder, List<TokenizedExample> data, int multiple) {
        long weights = 0;
        for (var e : encoder.namedParameters().entrySet()) {
            if (e.getKey().startsWith("embeddings.") || e.getValue().rank() < 2) continue;
            weights += e.getValue().numel();
        }
        double sumT2 = 0, sumT = 0;
        for (TokenizedExample x : data) {
            sumT += x.length();
            sumT2 += (double) x.length() * x.length();
        }
        double meanKeys = sumT2 / sumT; // keys attended per token, token-weighted
        int layers = encoder.config().numHiddenLayers();
        int hidden = encoder.config().hiddenSize();
        return multiple * (2.0 * weights + 4.0 * layers * hidden * meanKeys);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    // ======================================================================== batches for the PyTorch twin

    static void dump(Options o) throws IOException {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(o.model());
        ElectraForSequenceClassification model = HfModels.sequenceClassifier(o.model(),
                DatasetReader.read(o.data().resolve("dev.tsv")).labelNames(), o.seed()).model();
        int padId = PadToken.id(tokenizer, model.config());
        ObjectMapper mapper = new ObjectMapper();
        int lines = 0;
        try (BufferedWriter w = Files.newBufferedWriter(o.dump())) {
            List<TokenizedExample> train = trainSet(o, tokenizer);
            for (int epoch = 1; epoch <= o.rounds(); epoch++) {
                for (Batches.Batch b : Batches.shuffled(train, o.batch(), o.seed(), epoch, padId)) {
                    ObjectNode n = mapper.createObjectNode().put("kind", "train").put("epoch", epoch);
                    ArrayNode ids = n.putArray("input_ids");
                    ArrayNode labels = n.putArray("labels");
                    for (TokenizedExample e : b.examples()) {
                        ArrayNode row = ids.addArray();
                        for (int id : e.inputIds()) row.add(id);
                        ArrayNode y = labels.addArray();
                        for (float t : e.targets()) y.add((int) t);
                    }
                    w.write(mapper.writeValueAsString(n));
                    w.newLine();
                    lines++;
                }
            }
            List<TokenizedExample> test = testSet(o, tokenizer);
            for (Batches.Batch b : Batches.inOrder(test, o.batch(), padId)) {
                ObjectNode n = mapper.createObjectNode().put("kind", "encode");
                ArrayNode ids = n.putArray("input_ids");
                for (TokenizedExample e : b.examples()) {
                    ArrayNode row = ids.addArray();
                    for (int id : e.inputIds()) row.add(id);
                }
                w.write(mapper.writeValueAsString(n));
                w.newLine();
                lines++;
            }
        }
        System.out.println("wrote " + lines + " batches to " + o.dump());
    }
}
