package io.elektron.bench;

import io.elektron.core.cpu.CpuBackend;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The machine's practical peak: GFLOP/s of a raw OpenBLAS {@code cblas_sgemm} on n x n x n from native pointers, with
 * OpenBLAS's own threading at the given thread count (whatever Elektron's backend does per call, the machine's peak is
 * the library using every thread it is given). Machines differ from session to session (AVX2 vs AVX-512, 60 vs 480
 * GFLOP/s), so MFU is reported against this number measured in the same run, not against a datasheet.
 *
 * <p>The peak is the best of the timed calls: on a machine shared with other jobs the median measures the neighbours
 * as much as the CPU (medians of 55 to 190 GFLOP/s were seen within minutes on one 2-core machine), and a median below
 * what a model step achieves would put MFU above 100%.
 */
public final class SgemmRate {
    private SgemmRate() {
    }

    /** GFLOP/s of the fastest and of the median call. */
    public record Rate(double bestGflops, double medianGflops) {
    }

    /** {@code reps} timed calls after {@code warmup} untimed ones, OpenBLAS on {@code threads} threads. */
    public static Rate measure(int n, int warmup, int reps, int threads) {
        CpuBackend.get(); // its constructor sets OpenBLAS's thread count for Elektron's calls: restored below
        int previous = openblas_nolapack.blas_get_num_threads();
        openblas_nolapack.blas_set_num_threads(threads);
        try {
            return measure(n, warmup, reps);
        } finally {
            openblas_nolapack.blas_set_num_threads(previous);
        }
    }

    private static Rate measure(int n, int warmup, int reps) {
        long size = (long) n * n;
        try (FloatPointer a = filled(size, 1); FloatPointer b = filled(size, 2); FloatPointer c = new FloatPointer(size)) {
            double[] seconds = new double[reps];
            for (int i = 0; i < warmup + reps; i++) {
                long t0 = System.nanoTime();
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                        openblas_nolapack.CblasNoTrans, n, n, n, 1f, a, n, b, n, 0f, c, n);
                long dt = System.nanoTime() - t0;
                if (i >= warmup) seconds[i - warmup] = dt / 1e9;
            }
            Arrays.sort(seconds);
            double flops = 2.0 * n * n * n;
            return new Rate(flops / seconds[0] / 1e9, flops / seconds[reps / 2] / 1e9);
        }
    }

    private static FloatPointer filled(long size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(size)];
        for (int i = 0; i < values.length; i++) values[i] = (float) (random.nextDouble() - 0.5);
        FloatPointer p = new FloatPointer(size);
        p.put(values);
        return p;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Rate r = measure(n, 5, 30, threads);
        System.out.printf("sgemm %d^3, OpenBLAS %d threads: best %.1f GFLOP/s, median %.1f%n", n, threads,
                r.bestGflops(), r.medianGflops());
    }
}
