package io.elektron.core.cpu;

/**
 * Whether the CPU backend may use its SIMD kernels ({@link VectorKernels}, on the JDK's Vector API).
 *
 * <p>In Java 17 the Vector API is an incubator module: it exists only when the JVM starts with
 * {@code --add-modules jdk.incubator.vector} (the {@code elektron} launcher, the test runner and the benchmarks do).
 * Without it every kernel runs its scalar loop, with the same results up to float rounding. This class touches no
 * Vector API type, so asking it is safe on any JVM; {@code -Delektron.simd=false} forces the scalar loops.
 */
public final class Simd {
    /** True when the Vector API module is loaded and not switched off. */
    public static final boolean ENABLED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && Boolean.parseBoolean(System.getProperty("elektron.simd", "true"));

    private Simd() {
    }

    /**
     * Blocks until the background compilation of the SIMD kernels (started with the CPU backend) has finished, so a
     * timing that follows does not share the cores with it. Returns at once when SIMD is off.
     */
    public static void awaitWarmup() throws InterruptedException {
        CpuBackend.get();
        KernelWarmup.await();
    }

    /** For logs and benchmark headers. */
    public static String describe() {
        if (ENABLED) return "SIMD kernels (Vector API, " + VectorKernels.lanes() + " float lanes)";
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        return present ? "scalar kernels (-Delektron.simd=false)"
                : "scalar kernels (start the JVM with --add-modules jdk.incubator.vector for SIMD)";
    }
}
