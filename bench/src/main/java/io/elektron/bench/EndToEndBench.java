package io.elektron.bench;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.cpu.CpuBackend;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraForSequenceClassification;
import io.elektron.model.adversarial.Fgm;
import io.elektron.model.adversarial.StepContext;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end throughput of an ELECTRA-small-sized classifier (vocab 30522, embedding 128, hidden 256, 12 layers,
 * 4 heads, intermediate 1024, 28 labels, random init) on three workloads: inference 32 x 128, a training step
 * 16 x 128 (forward, BCE, backward, AdamW) and the same step with FGM. Reports the median step time, tokens/s, MFU
 * against the sgemm rate measured in the same run, and the peak RSS of a process that ran only that workload.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.elektron.bench.EndToEndBench [--mode all|inference|training|fgm[,...]]
 *      [--warmup 3] [--iters 10] [--threads 2] [--json FILE] [--profile] [--profile-steps 5] [--layers 12]
 *      [--no-fork] [--seed 42] [--verbose] [--blas-threads N (default: the core's choice)]
 * </pre>
 *
 * With several workloads, each runs in a fresh JVM (same JVM options) so that each peak RSS is that workload's own:
 * VmHWM never goes down within a process. {@code --profile} adds a per-op breakdown of the training step
 * ({@link TrainingProfile}) and of FGM's extra cost.
 */
public final class EndToEndBench {
    private EndToEndBench() {
    }

    /** Parsed command line. */
    record Options(List<Workload> workloads, int warmup, int iters, int threads, Path json, boolean profile,
                   int profileSteps, int layers, boolean fork, double peakGflops, long seed, boolean verbose,
                   int blasThreads) {

        static Options parse(String[] args) {
            List<Workload> workloads = List.of(Workload.values());
            int warmup = 3;
            int iters = 10;
            int threads = 2;
            Path json = null;
            boolean profile = false;
            int profileSteps = 5;
            int layers = 12;
            boolean fork = true;
            double peak = Double.NaN;
            long seed = 42;
            boolean verbose = false;
            int blasThreads = -1;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--mode" -> {
                        String v = value(args, ++i, a);
                        workloads = v.equals("all") ? List.of(Workload.values())
                                : Arrays.stream(v.split(",")).map(Workload::parse).toList();
                    }
                    case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, a));
                    case "--iters" -> iters = Integer.parseInt(value(args, ++i, a));
                    case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                    case "--json" -> json = Path.of(value(args, ++i, a));
                    case "--profile" -> profile = true;
                    case "--profile-steps" -> profileSteps = Integer.parseInt(value(args, ++i, a));
                    case "--layers" -> layers = Integer.parseInt(value(args, ++i, a));
                    case "--no-fork" -> fork = false;
                    case "--peak-gflops" -> peak = Double.parseDouble(value(args, ++i, a));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--verbose" -> verbose = true;
                    case "--blas-threads" -> blasThreads = Integer.parseInt(value(args, ++i, a));
                    case "-h", "--help" -> {
                        System.out.println("usage: EndToEndBench [--mode all|inference|training|fgm[,...]] [--warmup N]"
                                + " [--iters N] [--threads N] [--json FILE] [--profile] [--profile-steps N]"
                                + " [--layers N] [--no-fork] [--seed N] [--verbose] [--blas-threads N]");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' (try --help)");
                }
            }
            if (warmup < 0 || iters < 1 || threads < 1 || layers < 1) {
                throw new IllegalArgumentException("need --warmup >= 0, --iters >= 1, --threads >= 1, --layers >= 1");
            }
            return new Options(workloads, warmup, iters, threads, json, profile, profileSteps, layers, fork, peak, seed,
                    verbose, blasThreads);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        // Before any core class loads: CpuThreads and CpuBackend read these once, in their static initialisers.
        System.setProperty("elektron.threads", Integer.toString(o.threads()));
        // OpenBLAS's own threads per call: the core's default (its GEMM splitting decides) unless asked for.
        if (o.blasThreads() > 0) System.setProperty("elektron.blas.threads", Integer.toString(o.blasThreads()));
        String loadBefore = loadAverage();

        // The CPU backend compiles its SIMD kernels on a background thread at start-up: let it finish first, or the
        // sgemm reference and the first steps would share the cores with it.
        io.elektron.core.cpu.Simd.awaitWarmup();
        double peak = o.peakGflops();
        double sgemmMedian = Double.NaN;
        if (Double.isNaN(peak)) {
            SgemmRate.Rate rate = SgemmRate.measure(1024, 5, 30, o.threads());
            peak = rate.bestGflops();
            sgemmMedian = rate.medianGflops();
        }
        ElectraConfig config = ElectraGeometry.SMALL.config(o.layers(), ElectraGeometry.LABELS);
        Map<String, WorkloadResult> results = new LinkedHashMap<>();
        long parameters;
        long nonEmbedding;
        // Counted on a zero-filled copy (no init arrays on the heap), released before any workload runs.
        var probe = new ElectraForSequenceClassification(config, null, new SeedStream(0));
        try {
            parameters = probe.parameterCount();
            nonEmbedding = nonEmbeddingParameters(probe);
        } finally {
            probe.close();
        }
        boolean forkEach = o.fork() && o.workloads().size() > 1;
        for (Workload w : o.workloads()) {
            WorkloadResult r = forkEach ? runInChild(w, o, peak) : run(w, o, config, peak, nonEmbedding);
            results.put(w.id, r);
        }
        RunReport report = new RunReport("elektron", CpuBackend.get().describe() + ", " + jvm(), LocalDate.now().toString(),
                cpuModel(), hasAvx512f(), o.threads(), environment(), loadBefore + " -> " + loadAverage(), peak,
                sgemmMedian, parameters, nonEmbedding, o.layers(), config.hiddenSize(), results);
        if (o.json() != null) {
            // A child (one workload, called by a parent) writes only its result.
            if (o.workloads().size() == 1 && !Double.isNaN(o.peakGflops())) {
                RunReport.writeWorkload(results.values().iterator().next(), o.json());
                return;
            }
            report.write(o.json());
        }
        report.print(System.out);
    }

    /** N as the FLOP convention counts it: every parameter but the word, position and token-type tables. */
    static long nonEmbeddingParameters(ElectraForSequenceClassification model) {
        long n = 0;
        for (var e : model.namedParameters().entrySet()) {
            String name = e.getKey();
            boolean table = name.endsWith("word_embeddings.weight") || name.endsWith("position_embeddings.weight")
                    || name.endsWith("token_type_embeddings.weight");
            if (!table) n += e.getValue().numel();
        }
        return n;
    }

    // ======================================================================== one workload in this process

    static WorkloadResult run(Workload w, Options o, ElectraConfig config, double peakGflops, long nonEmbedding) {
        System.out.printf("[%s] %d x %d, %d warm-up + %d measured steps ...%n", w.id, w.batch, Workload.SEQ, o.warmup(),
                o.iters());
        try (ElectraSteps steps = new ElectraSteps(config, w.batch, o.seed())) {
            for (int i = 0; i < o.warmup(); i++) steps.step(w);
            double rssAfterWarmup = ProcessStats.rssBytes() / 1e6;
            long gc0 = gcMillis();
            long faults0 = ProcessStats.minorFaults();
            double user0 = ProcessStats.userCpuMs();
            double sys0 = ProcessStats.systemCpuMs();
            List<Double> times = new ArrayList<>(o.iters());
            for (int i = 0; i < o.iters(); i++) {
                long t0 = System.nanoTime();
                steps.step(w);
                times.add((System.nanoTime() - t0) / 1e6);
                if (o.verbose()) System.out.printf("[%s] step %d: %.1f ms%n", w.id, i + 1, times.get(i));
            }
            long gcMs = gcMillis() - gc0;
            double faultsPerStep = (ProcessStats.minorFaults() - faults0) / (double) o.iters();
            double userPerStep = (ProcessStats.userCpuMs() - user0) / o.iters();
            double sysPerStep = (ProcessStats.systemCpuMs() - sys0) / o.iters();
            double rssEnd = ProcessStats.rssBytes() / 1e6;
            double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = median(sorted);
            double tokensPerS = w.tokensPerStep() / (median / 1e3);
            double flopsPerToken = w.flopsPerToken(nonEmbedding, config.numHiddenLayers(), config.hiddenSize());
            double gflops = tokensPerS * flopsPerToken / 1e9;
            List<ProfileRow> profile = null;
            if (o.profile() && w == Workload.TRAINING) profile = profileTraining(steps, o.profileSteps());
            if (o.profile() && w == Workload.FGM) profile = profileFgm(steps, o.profileSteps());
            double peakRss = ProcessStats.peakRssBytes() / 1e6;
            System.out.printf("[%s] median %.1f ms, %.1f tok/s (sink %.3g)%n", w.id, median, tokensPerS, steps.sink());
            return new WorkloadResult(w.id, w.batch, Workload.SEQ, w.tokensPerStep(), o.warmup(), times, median,
                    sorted[0], sorted[sorted.length - 1], tokensPerS, flopsPerToken, gflops, gflops / peakGflops, peakRss,
                    rssAfterWarmup, rssEnd, gcMs, userPerStep, sysPerStep, faultsPerStep, profile);
        }
    }

    /** Per-op breakdown of the training step (after the measured steps, so it does not disturb them). */
    static List<ProfileRow> profileTraining(ElectraSteps steps, int n) {
        TrainingProfile profile = new TrainingProfile(steps);
        profile.step(); // warm the instrumented path
        profile.reset();
        for (int i = 0; i < n; i++) profile.step();
        return profile.rows();
    }

    /**
     * FGM's step split into what can be timed from outside {@link Fgm}: the two forwards (timed through the loss
     * function), then everything else (two backwards, the gradient norm, backup, perturbation and restore) against a
     * clean step's backward measured alongside.
     */
    static List<ProfileRow> profileFgm(ElectraSteps steps, int n) {
        Fgm fgm = new Fgm(1f);
        var model = steps.model();
        model.train(true);
        long[] forwardNanos = new long[1];
        long cleanFwd = 0;
        long cleanBwd = 0;
        long fgmTotal = 0;
        long fgmForwards = 0;
        long optimizer = 0;
        for (int i = 0; i <= n; i++) {
            // a clean step, timed in parts
            long a0;
            long a1;
            long a2;
            try (TensorScope scope = TensorScope.open()) {
                a0 = System.nanoTime();
                Tensor loss = steps.loss(model.forward(steps.input()).logits());
                loss.item();
                a1 = System.nanoTime();
                loss.backward();
                a2 = System.nanoTime();
                steps.optimizer().zeroGrad();
            }
            // an FGM step with the loss function's forwards timed
            forwardNanos[0] = 0;
            long f0;
            long f1;
            long f2;
            try (TensorScope scope = TensorScope.open()) {
                StepContext ctx = new StepContext(model, model.electra().embeddings(), steps.input(), () -> {
                    long t0 = System.nanoTime();
                    Tensor l = steps.loss(model.forward(steps.input()).logits());
                    forwardNanos[0] += System.nanoTime() - t0;
                    return l;
                }, 1f);
                f0 = System.nanoTime();
                fgm.step(ctx);
                f1 = System.nanoTime();
                steps.optimizer().step();
                steps.optimizer().zeroGrad();
                f2 = System.nanoTime();
            }
            if (i == 0) continue; // warm-up
            cleanFwd += a1 - a0;
            cleanBwd += a2 - a1;
            fgmTotal += f1 - f0;
            fgmForwards += forwardNanos[0];
            optimizer += f2 - f1;
        }
        double cf = cleanFwd / 1e6 / n;
        double cb = cleanBwd / 1e6 / n;
        double total = fgmTotal / 1e6 / n;
        double fwds = fgmForwards / 1e6 / n;
        double rest = total - fwds;
        double extra = rest - 2 * cb;
        double opt = optimizer / 1e6 / n;
        double step = total + opt;
        List<ProfileRow> rows = new ArrayList<>();
        rows.add(new ProfileRow("fgm: two forwards (clean + adversarial)", 2, fwds, 0, 100 * fwds / step, Double.NaN));
        rows.add(new ProfileRow("fgm: two backwards (2 x clean backward)", 2, 0, 2 * cb, 100 * 2 * cb / step, Double.NaN));
        rows.add(new ProfileRow("fgm: norm + backup + perturb + restore (rest)", 1, extra, 0, 100 * extra / step,
                Double.NaN));
        rows.add(new ProfileRow("optimizer: AdamW step + zero grads", 1, opt, 0, 100 * opt / step, Double.NaN));
        rows.add(new ProfileRow("reference: clean forward", 1, cf, 0, Double.NaN, Double.NaN));
        rows.add(new ProfileRow("reference: clean backward", 1, 0, cb, Double.NaN, Double.NaN));
        return rows;
    }

    // ======================================================================== one workload per child JVM

    static WorkloadResult runInChild(Workload w, Options o, double peak) throws IOException, InterruptedException {
        Path out = Files.createTempFile("elektron-e2e-" + w.id, ".json");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(EndToEndBench.class.getName());
            cmd.addAll(List.of("--mode", w.id, "--warmup", Integer.toString(o.warmup()), "--iters",
                    Integer.toString(o.iters()), "--threads", Integer.toString(o.threads()), "--layers",
                    Integer.toString(o.layers()), "--seed", Long.toString(o.seed()), "--peak-gflops",
                    Double.toString(peak), "--profile-steps", Integer.toString(o.profileSteps()), "--json", out.toString()));
            if (o.profile()) cmd.add("--profile");
            if (o.verbose()) cmd.add("--verbose");
            if (o.blasThreads() > 0) cmd.addAll(List.of("--blas-threads", Integer.toString(o.blasThreads())));
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            int rc = p.waitFor();
            if (rc != 0) throw new IllegalStateException("the " + w.id + " run exited with status " + rc);
            return RunReport.readWorkload(out);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    // ======================================================================== helpers

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }

    static boolean hasAvx512f() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) return Arrays.asList(line.split("\\s+")).contains("avx512f");
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static String jvm() {
        return "Java " + Runtime.version() + " " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** The 1, 5 and 15 minute load averages: on a shared machine, the context every number needs. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static String environment() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")) {
            String v = System.getenv(name);
            if (v != null) sb.append(sb.length() == 0 ? "" : " ").append(name).append('=').append(v);
        }
        return sb.length() == 0 ? "(no BLAS/OpenMP variables set)" : sb.toString();
    }
}
