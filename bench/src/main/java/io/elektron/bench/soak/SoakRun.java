package io.elektron.bench.soak;

import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.data.Dataset;
import io.elektron.model.hf.HfModels;
import io.elektron.model.train.EpochRecord;
import io.elektron.model.train.ExampleEncoder;
import io.elektron.model.train.PadToken;
import io.elektron.model.train.Predictor;
import io.elektron.model.train.TokenizedExample;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingListener;
import io.elektron.model.train.TrainingOptions;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * The soak test (issue 9; not part of CI): a long fine-tuning run of a small random-init ELECTRA through the real
 * {@link Trainer} (dev evaluation, "best" and "last" checkpoints and history.json after every epoch) plus, every few
 * epochs, a prediction pass over dev with the best checkpoint freshly loaded from disk and closed again, as a serving
 * process would. Every {@code --sample-every} steps it records {@link ResourceSample}s into {@code soak.csv}, and at the
 * end compares the last sample with the one at 10% of the steps (after warm-up: JIT, the storage pool's buffers):
 *
 * <ul>
 *   <li>resident set: at most max(32 MiB, 10%) more (the JVM's own code cache and malloc arenas move a little),</li>
 *   <li>native memory held through JavaCPP (live tensors plus the storage pool's idle buffers, which stop growing
 *       after the first epoch with {@link SyntheticTexts}' shapes): at most 2 MiB more. One leaked checkpoint load of
 *       the default model is 0.8 MiB (46 loads come after 10%), one leaked activation per step at least 190 KiB;</li>
 *   <li>Java heap after a full GC: at most 16 MiB more (the trainer keeps a record per step by design, ~1 MiB);</li>
 *   <li>open file descriptors: at most 4 more; operating-system threads: at most 2 more.</li>
 * </ul>
 *
 * The exit code is 1 when a bound is exceeded. Step time is reported (first vs last 1000 steps) but not judged: on a
 * shared machine it moves with the neighbours' load.
 *
 * <pre>
 * java -Xmx512m --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar io.elektron.bench.soak.SoakRun \
 *     --steps 10000 --out /tmp/elektron-soak
 * </pre>
 * The tokenizer comes from {@code shared/fixtures/tiny} ({@code -Delektron.shared=...}, default {@code ../shared}).
 */
public final class SoakRun {
    private static final int SEED = 11;

    record Options(int steps, int sampleEvery, int hidden, int layers, int heads, int batch, int maxLength,
                   int trainExamples, int devExamples, int predictEvery, int threads, Path out) {
        private static final List<String> NAMES = List.of("--steps", "--sample-every", "--hidden", "--layers", "--heads",
                "--batch", "--max-length", "--train-examples", "--dev-examples", "--predict-every", "--threads", "--out");

        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!NAMES.contains(args[i])) throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + NAMES);
                if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
                given.put(args[i], args[i + 1]);
            }
            ToIntFunction<String> number = name -> Integer.parseInt(given.getOrDefault(name, DEFAULTS.get(name)));
            Options o = new Options(number.applyAsInt("--steps"), number.applyAsInt("--sample-every"),
                    number.applyAsInt("--hidden"), number.applyAsInt("--layers"), number.applyAsInt("--heads"),
                    number.applyAsInt("--batch"), number.applyAsInt("--max-length"), number.applyAsInt("--train-examples"),
                    number.applyAsInt("--dev-examples"), number.applyAsInt("--predict-every"), number.applyAsInt("--threads"),
                    Path.of(given.getOrDefault("--out", DEFAULTS.get("--out"))));
            if (o.steps < 20 || o.sampleEvery < 1) throw new IllegalArgumentException("--steps must be >= 20, --sample-every >= 1");
            return o;
        }

        /** A few layers at hidden 64 on one thread: 10,000 steps in minutes, long enough to show any growth. */
        private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("--steps", "10000"),
                Map.entry("--sample-every", "100"), Map.entry("--hidden", "64"), Map.entry("--layers", "4"),
                Map.entry("--heads", "4"), Map.entry("--batch", "16"), Map.entry("--max-length", "48"),
                Map.entry("--train-examples", "640"), Map.entry("--dev-examples", "128"), Map.entry("--predict-every", "5"),
                Map.entry("--threads", "1"), Map.entry("--out", "/tmp/elektron-soak"));
    }

    /** A named series of the samples, the growth it may show from 10% of the run to its end, and in what unit. */
    private record Bound(String name, ToDoubleFunction<ResourceSample> value, double allowedGrowth, String unit) {
    }

    private SoakRun() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        // Before any core class loads: CpuThreads and CpuBackend read these once.
        System.setProperty("elektron.threads", Integer.toString(o.threads()));
        System.setProperty("elektron.blas.threads", Integer.toString(o.threads()));
        Path tokenizerFolder = sharedFolder().resolve("fixtures/tiny");
        if (!Files.isRegularFile(tokenizerFolder.resolve("vocab.txt"))) {
            System.err.println("soak: no tokenizer at " + tokenizerFolder + "; set -Delektron.shared to the shared folder");
            System.exit(2);
        }
        Files.createDirectories(o.out());
        Path runDir = o.out().resolve("run");

        WordPieceTokenizer tokenizer = WordPieceTokenizer.fromFolder(tokenizerFolder);
        Dataset train = SyntheticTexts.generate(SEED, o.trainExamples(), o.maxLength());
        Dataset dev = SyntheticTexts.generate(SEED + 1, o.devExamples(), o.maxLength());
        ElectraConfig config = ElectraConfig.of(tokenizer.vocabSize(), o.hidden(), o.hidden(), o.layers(), o.heads(),
                4 * o.hidden(), 64, SyntheticTexts.LABELS);
        ElectraForSequenceClassification model = new ElectraForSequenceClassification(config, new SplittableRandom(SEED),
                new SeedStream(SEED));
        int stepsPerEpoch = (o.trainExamples() + o.batch() - 1) / o.batch();
        TrainingOptions options = TrainingOptions.defaults().withEpochs((o.steps() + stepsPerEpoch - 1) / stepsPerEpoch)
                .withMaxSteps(o.steps()).withBatchSize(o.batch()).withMaxLength(o.maxLength()).withLearningRate(1e-3f)
                .withSeed(SEED);
        List<TokenizedExample> devEncoded = new ExampleEncoder(tokenizer, o.maxLength()).encode(dev.examples());
        int padId = PadToken.id(tokenizer, config);
        System.out.printf(Locale.ROOT, "soak: %d steps (%d per epoch) of a random-init ELECTRA (hidden %d, %d layers, %,d"
                        + " parameters), batch %d, max length %d, %d thread(s); samples every %d steps -> %s%n", o.steps(),
                stepsPerEpoch, o.hidden(), o.layers(), model.parameterCount(), o.batch(), o.maxLength(), o.threads(),
                o.sampleEvery(), o.out());

        List<ResourceSample> samples = new ArrayList<>();
        double[] stepMillis = new double[o.steps() + 1];
        Arrays.fill(stepMillis, Double.NaN);
        long started = System.nanoTime();
        int[] predictions = {0};
        TrainingListener sampler = new TrainingListener() {
            private long previous = System.nanoTime();
            private boolean previousWasSampled = true;
            private long previousSampleStep;

            @Override
            public void onStep(StepEvent e) {
                long now = System.nanoTime();
                int step = (int) e.globalStep();
                // Intervals that span an epoch's end (evaluation, checkpoints) or a sample's GC are not step time.
                if (e.stepInEpoch() > 1 && !previousWasSampled) stepMillis[step] = (now - previous) / 1e6;
                previousWasSampled = false;
                if (step == 1 || step % o.sampleEvery() == 0 || step == o.steps()) {
                    double mean = mean(stepMillis, (int) previousSampleStep + 1, step);
                    ResourceSample s = ResourceSample.take(step, (now - started) / 1e9, mean, e.loss());
                    samples.add(s);
                    previousSampleStep = step;
                    previousWasSampled = true;
                    if (step % 1000 == 0) {
                        System.out.printf(Locale.ROOT, "step %5d  %.0f s  loss %.4f  rss %.1f MiB  javacpp %.1f MiB  heap %.1f MiB"
                                        + "  fds %d  threads %d  %.2f ms/step%n", step, s.elapsedSeconds(), e.loss(),
                                ResourceSample.mib(s.rssBytes()), ResourceSample.mib(s.javacppBytes()),
                                ResourceSample.mib(s.heapUsedBytes()), s.openFds(), s.osThreads(), mean);
                    }
                }
                previous = System.nanoTime();
            }

            @Override
            public void onEpoch(EpochRecord record) {
                if (record.epoch() % o.predictEvery() != 0) return;
                // What a serving process does again and again: open a checkpoint, predict, release it.
                try {
                    ElectraForSequenceClassification loaded = HfModels.sequenceClassifier(runDir.resolve("best"), null, 0).model();
                    try {
                        Predictor.probabilities(loaded, devEncoded, 64, padId);
                        predictions[0]++;
                    } finally {
                        loaded.close();
                    }
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        };
        Trainer.Result result;
        try {
            result = new Trainer(model, tokenizer, tokenizerFolder, options, runDir, sampler).fit(train, dev, null);
        } finally {
            model.close();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        writeCsv(o.out().resolve("soak.csv"), samples);
        boolean withinBounds = summarize(o, samples, stepMillis, seconds, predictions[0], result);
        System.exit(withinBounds ? 0 : 1);
    }

    private static boolean summarize(Options o, List<ResourceSample> samples, double[] stepMillis, double seconds,
                                     int predictions, Trainer.Result result) {
        ResourceSample first = samples.get(0);
        ResourceSample baseline = samples.stream().filter(s -> s.step() >= o.steps() / 10).findFirst().orElseThrow();
        ResourceSample end = samples.get(samples.size() - 1);
        double mib = 1024 * 1024;
        List<Bound> bounds = List.of(
                new Bound("resident set (MiB)", s -> s.rssBytes() / mib, Math.max(32, 0.10 * baseline.rssBytes() / mib), "MiB"),
                new Bound("JavaCPP native (MiB)", s -> s.javacppBytes() / mib, 2, "MiB"),
                new Bound("JavaCPP physical (MiB)", s -> s.javacppPhysicalBytes() / mib, Double.NaN, "MiB"),
                new Bound("heap after GC (MiB)", s -> s.heapUsedBytes() / mib, 16, "MiB"),
                new Bound("heap committed (MiB)", s -> s.heapCommittedBytes() / mib, Double.NaN, "MiB"),
                new Bound("JVM non-heap (MiB)", s -> s.nonHeapUsedBytes() / mib, Double.NaN, "MiB"),
                new Bound("open fds", ResourceSample::openFds, 4, ""),
                new Bound("OS threads", ResourceSample::osThreads, 2, ""),
                new Bound("JVM threads", ResourceSample::jvmThreads, Double.NaN, ""));
        System.out.printf(Locale.ROOT, "%nsoak: %d steps, %d epochs, %d checkpoint predictions in %.0f s; final train loss %.4f,"
                        + " best dev macro-F1 %.4f (epoch %d); samples in %s%n", end.step(), result.history().size(),
                predictions, seconds, end.loss(),
                result.history().stream().filter(r -> r.epoch() == result.bestEpoch()).findFirst().orElseThrow().selectionScore(),
                result.bestEpoch(), o.out().resolve("soak.csv"));
        System.out.printf(Locale.ROOT, "%-24s %10s %10s %10s %10s %12s %10s%n", "", "step " + first.step(),
                "step " + baseline.step(), "step " + end.step(), "max", "10% -> end", "bound");
        boolean ok = true;
        for (Bound b : bounds) {
            double growth = b.value().applyAsDouble(end) - b.value().applyAsDouble(baseline);
            double max = samples.stream().mapToDouble(b.value()).max().orElse(Double.NaN);
            boolean within = Double.isNaN(b.allowedGrowth()) || growth <= b.allowedGrowth();
            ok &= within;
            System.out.printf(Locale.ROOT, "%-24s %10.1f %10.1f %10.1f %10.1f %+12.1f %10s%s%n", b.name(),
                    b.value().applyAsDouble(first), b.value().applyAsDouble(baseline), b.value().applyAsDouble(end), max,
                    growth, Double.isNaN(b.allowedGrowth()) ? "-" : String.format(Locale.ROOT, "+%.1f", b.allowedGrowth()),
                    within ? "" : "  EXCEEDED");
        }
        int window = Math.min(1000, o.steps() / 4);
        System.out.printf(Locale.ROOT, "%-24s first %d steps %.3f ms, last %d steps %.3f ms (mean; epoch ends and samples excluded)%n",
                "step time", window, mean(stepMillis, 1, window), window, mean(stepMillis, o.steps() - window + 1, o.steps()));
        System.out.printf(Locale.ROOT, "peak resident set %.1f MiB; GPU memory not measured (CPU run)%n", end.peakRssBytes() / mib);
        System.out.println(ok ? "soak: PASS (every bound held)" : "soak: FAIL (a bound was exceeded)");
        return ok;
    }

    private static double mean(double[] values, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int i = Math.max(0, from); i <= Math.min(to, values.length - 1); i++) {
            if (!Double.isNaN(values[i])) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static void writeCsv(Path file, List<ResourceSample> samples) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println(ResourceSample.CSV_HEADER);
            for (ResourceSample s : samples) w.println(s.toCsv());
        }
    }

    /** The shared-data folder: {@code -Delektron.shared}, else {@code ../shared}, else {@code /work/shared}. */
    private static Path sharedFolder() {
        String property = System.getProperty("elektron.shared");
        if (property != null) return Path.of(property);
        Path relative = Path.of("..", "shared");
        return Files.isDirectory(relative) ? relative : Path.of("/work/shared");
    }
}
