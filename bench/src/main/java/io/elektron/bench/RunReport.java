package io.elektron.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * One end-to-end run: the machine, the settings, the sgemm rate MFU is measured against, and each workload's result.
 * Written as JSON with the same field names as the PyTorch script's.
 */
public record RunReport(String engine, String engineDetail, String date, String cpu, boolean avx512f, int threads,
                        String environment, String loadAverage, double sgemmGflops, double sgemmMedianGflops, long parameters, long nonEmbeddingParams,
                        int layers, int hidden, Map<String, WorkloadResult> workloads) {

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static WorkloadResult readWorkload(Path file) throws IOException {
        return JSON.readValue(file.toFile(), WorkloadResult.class);
    }

    public static void writeWorkload(WorkloadResult result, Path file) throws IOException {
        JSON.writeValue(file.toFile(), result);
    }

    /** The summary table (and the profile, when one was taken). */
    public void print(PrintStream out) {
        out.printf("%nElektron end-to-end: ELECTRA classifier, random init, %d layers, hidden %d, %.2f M parameters "
                + "(N = %.2f M non-embedding)%n", layers, hidden, parameters / 1e6, nonEmbeddingParams / 1e6);
        out.printf("cpu: %s%s, %d threads, %s%n", cpu, avx512f ? " (avx512f)" : "", threads, engineDetail);
        out.printf("environment: %s; load average (1, 5, 15 min) %s%n", environment, loadAverage);
        out.printf("MFU reference: raw OpenBLAS sgemm 1024^3 measured in this run: best %.1f GFLOP/s (median %.1f)%n%n",
                sgemmGflops, sgemmMedianGflops);
        out.printf("%-10s %7s %10s %19s %8s %8s %6s %9s %9s %7s %9s %9s %6s %9s%n", "workload", "batch", "median ms",
                "(min - max)", "tok/s", "GFLOP/s", "MFU", "peak RSS", "RSS drift", "GC ms", "user ms", "sys ms",
                "cores", "faults");
        for (WorkloadResult r : workloads.values()) {
            out.printf("%-10s %7s %10.1f %19s %8.1f %8.1f %5.1f%% %6.0f MB %6.0f MB %7.0f %9.0f %9.0f %6.2f %9.0f%n",
                    r.workload(), r.batch() + "x" + r.seq(), r.medianMs(),
                    String.format("(%.1f - %.1f)", r.minMs(), r.maxMs()), r.tokensPerS(), r.achievedGflops(),
                    100 * r.mfu(), r.peakRssMb(), r.rssEndMb() - r.rssAfterWarmupMb(), r.gcMs(), r.userCpuMsPerStep(),
                    r.sysCpuMsPerStep(), coresBusy(r), r.minorFaultsPerStep());
        }
        out.println("(user/sys ms and faults are per step; cores = CPU time / wall time of a step, out of " + threads
                + " threads; GC ms over all measured steps; RSS drift = RSS after the last step - after warm-up)");
        WorkloadResult training = workloads.get(Workload.TRAINING.id);
        WorkloadResult fgm = workloads.get(Workload.FGM.id);
        if (training != null && fgm != null) {
            out.printf("FGM step / clean step: %.2f%n", fgm.medianMs() / training.medianMs());
        }
        for (WorkloadResult r : workloads.values()) {
            if (r.profile() != null) printProfile(out, r);
        }
    }

    /** Cores kept busy on average during a step: (user + system CPU time) / mean wall time. */
    static double coresBusy(WorkloadResult r) {
        double meanMs = r.stepMs().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return (r.userCpuMsPerStep() + r.sysCpuMsPerStep()) / meanMs;
    }

    static void printProfile(PrintStream out, WorkloadResult r) {
        // Rows without a share of the step (NaN) are references measured beside it, not parts of it.
        double step = r.profile().stream().filter(p -> !Double.isNaN(p.percentOfStep()))
                .mapToDouble(ProfileRow::totalMs).sum();
        out.printf("%nPer-op profile of the %s step (ms per step, summed over layers; instrumented step %.1f ms):%n",
                r.workload(), step);
        out.printf("%-52s %5s %9s %9s %9s %6s %8s%n", "section", "calls", "fwd ms", "bwd ms", "total ms", "%", "GFLOP/s");
        for (ProfileRow p : r.profile()) {
            out.printf("%-52s %5d %9.1f %9.1f %9.1f %6s %8s%n", p.section(), p.callsPerStep(), p.forwardMs(),
                    p.backwardMs(), p.totalMs(),
                    Double.isNaN(p.percentOfStep()) ? "" : String.format("%.1f%%", p.percentOfStep()),
                    Double.isNaN(p.gflops()) ? "" : String.format("%.1f", p.gflops()));
        }
    }
}
