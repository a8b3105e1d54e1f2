package io.elektron.core.cpu;

import io.elektron.core.spec.CounterRandom;

/**
 * Compiles the SIMD kernels before real work needs them, on a background thread.
 *
 * <p>Why: until C2 has compiled a Vector API loop, the API's Java fallback runs it, allocating an object per vector
 * operation and running 10-50x slower. A kernel first met inside a training step is compiled only after it has run
 * for a while on megabytes of data, and a branch its profile never saw (a mask, a scalar tail, accumulate mode) makes
 * C2 throw the compiled code away later and start over: training steps measured 1.1 s in one run and 1.4 s in the
 * next, with the garbage collector busy in the slow ones. Running every kernel, through every branch, on tiny
 * buffers some thousands of times at start-up gets them compiled with complete profiles while the model loads.
 */
final class KernelWarmup {
    /** Calls per kernel: past C2's invocation thresholds (a few thousand) with room to spare. */
    private static final int ROUNDS = 12_000;
    private static boolean started;
    private static final java.util.concurrent.CountDownLatch DONE = new java.util.concurrent.CountDownLatch(1);

    private KernelWarmup() {
    }

    /** Starts the warm-up once per JVM (a daemon thread: it never holds up exit). */
    static synchronized void startInBackground() {
        if (started) return;
        if (!Simd.ENABLED || Boolean.getBoolean("elektron.simd.nowarmup")) {
            DONE.countDown();
            return;
        }
        started = true;
        Thread thread = new Thread(() -> {
            try {
                run();
            } finally {
                DONE.countDown();
            }
        }, "elektron-kernel-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** Waits until the warm-up has finished (benchmarks: so it does not share the cores with a measurement). */
    static void await() throws InterruptedException {
        startInBackground();
        DONE.await();
    }

    private static void run() {
        int rows = 2;
        int cols = 37; // two full vectors at 16 lanes plus a scalar tail
        int n = rows * cols;
        CpuStorage a = filled(n, 0.5f);
        CpuStorage b = filled(n, 0.25f);
        CpuStorage c = filled(n, 0f);
        CpuStorage d = filled(n, 1f);
        CpuStorage row = filled(cols, 0.1f);
        CpuStorage perRow = filled(rows, 1f);
        float[] expBuffer = new float[48];
        int[] keys = CounterRandom.keys(1);
        for (int round = 0; round < ROUNDS; round++) {
            boolean flip = (round & 1) == 0;
            VectorKernels.gelu(a.bytes(), c.bytes(), 0, n);
            VectorKernels.geluBackward(a.bytes(), b.bytes(), c.bytes(), 0, n);
            VectorKernels.dropout(a.bytes(), keys[0], keys[1], 1 << 20, 1.1f, c.bytes(), d.bytes(), 0, n);
            VectorKernels.fill(c.bytes(), 0, n, 0f);
            VectorKernels.axpy(0.5f, a.bytes(), 0, c.bytes(), 0, 0, n);
            VectorKernels.scale(0.5f, a.bytes(), c.bytes(), 0, n);
            VectorKernels.multiply(a.bytes(), b.bytes(), c.bytes(), flip, 0, n);
            VectorKernels.binaryRow(round % 3, a.bytes(), 0, !flip, b.bytes(), 0, flip, c.bytes(), 0, cols);
            VectorKernels.copyRow(a.bytes(), 0, c.bytes(), cols, cols, flip);
            VectorKernels.sumRows(a.bytes(), rows, cols, row.bytes(), 0, cols);
            VectorKernels.softmaxForward(a.bytes(), 0.125f, flip ? row.bytes() : null, rows, c.bytes(), cols, 0, rows);
            VectorKernels.softmaxBackward(c.bytes(), b.bytes(), 0.125f, d.bytes(), cols, 0, rows);
            VectorKernels.layerNormForward(a.bytes(), row.bytes(), row.bytes(), 1e-12f, c.bytes(), perRow.bytes(),
                    perRow.bytes(), cols, 0, rows);
            VectorKernels.layerNormBackwardInput(a.bytes(), row.bytes(), perRow.bytes(), perRow.bytes(), b.bytes(),
                    d.bytes(), cols, 0, rows);
            VectorKernels.layerNormBackwardParams(a.bytes(), perRow.bytes(), perRow.bytes(), b.bytes(),
                    flip ? row.bytes() : null, row.bytes(), rows, cols, 0, cols);
            VectorKernels.sum(a.bytes(), 0, n, flip);
            VectorKernels.adamw(d.bytes(), b.bytes(), c.bytes(), c.bytes(), 0.9f, 0.999f, 1e-8f, 1f, 0f, 1f, 0, n);
            java.util.Arrays.fill(expBuffer, flip ? -1f : 1f);
            VectorKernels.expShifted(expBuffer, expBuffer.length / VectorKernels.lanes() * VectorKernels.lanes(), 0f);
            // Keep the values bounded whatever the kernels did to them.
            VectorKernels.fill(c.bytes(), 0, n, 0f);
            VectorKernels.fill(d.bytes(), 0, n, 1f);
            VectorKernels.fill(row.bytes(), 0, cols, 0.1f);
            VectorKernels.fill(perRow.bytes(), 0, rows, 1f);
        }
        for (CpuStorage s : new CpuStorage[]{a, b, c, d, row, perRow}) s.close();
    }

    private static CpuStorage filled(int n, float value) {
        CpuStorage s = new CpuStorage(n);
        for (int i = 0; i < n; i++) s.buffer().put(i, value);
        return s;
    }
}
