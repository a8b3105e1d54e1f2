package io.elektron.bench.kernels;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * JVM options of every kernel benchmark fork: the anchor's 2 threads for Elektron (how many OpenBLAS threads each of
 * its calls gets is the core's choice), and the Vector API module (core kernels may use it; without the flag they would
 * not load). Override on the command line with {@code -jvmArgsAppend "..."} (which replaces these).
 */
final class KernelJvm {
    static final String THREADS = "-Delektron.threads=2";
    static final String VECTOR = "--add-modules=jdk.incubator.vector";

    private KernelJvm() {
    }

    /** The machine threads the benchmarks run on: {@code elektron.threads}, else the core count. */
    static int threads() {
        return Integer.getInteger("elektron.threads", Runtime.getRuntime().availableProcessors());
    }

    /**
     * Gives OpenBLAS all the machine threads for a raw-sgemm baseline (Elektron's backend may have set 1 per call and
     * split GEMMs itself); JMH runs each benchmark method in its own fork, so this does not leak into Elektron's.
     */
    static void rawBlasThreads() {
        openblas_nolapack.blas_set_num_threads(threads());
    }
}
