package io.elektron.bench.kernels;

import io.elektron.bench.ElectraGeometry;
import io.elektron.bench.RandomData;
import io.elektron.core.Backend;
import io.elektron.core.Storage;
import io.elektron.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Attention softmax with its 1/sqrt(d) scale and additive [B, T] padding mask fused in (one pass), forward and
 * backward, on [16, heads, 128, 128] scores. The mask pads the last eighth of every sequence, as real batches do.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class SoftmaxBench {
    @Param({"SMALL", "BASE"})
    public ElectraGeometry geometry;

    private Backend backend;
    private int rows;
    private int cols;
    private int rowsPerMaskRow;
    private float scale;
    private Storage x;
    private Storage mask;
    private Storage y;
    private Storage gy;
    private Storage gx;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Tensor.defaultBackend();
        int b = ElectraGeometry.BATCH;
        int t = ElectraGeometry.SEQ;
        cols = t;
        rows = b * geometry.heads * t;
        rowsPerMaskRow = geometry.heads * t;
        scale = (float) (1.0 / Math.sqrt(geometry.headSize()));
        long n = (long) rows * cols;
        x = RandomData.uniform(backend, n, 1, 4f);
        gy = RandomData.uniform(backend, n, 2, 1f);
        y = backend.allocate(n);
        gx = backend.allocate(n);
        float[] m = new float[b * t];
        for (int i = 0; i < m.length; i++) m[i] = i % t >= t - t / 8 ? -Float.MAX_VALUE : 0f;
        mask = backend.allocate(m.length);
        backend.upload(m, 0, mask, 0, m.length);
        backend.softmaxForward(rows, cols, x, scale, mask, rowsPerMaskRow, y);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Storage s : new Storage[]{x, mask, y, gy, gx}) s.close();
    }

    @Benchmark
    public void forward() {
        backend.softmaxForward(rows, cols, x, scale, mask, rowsPerMaskRow, y);
    }

    /** gx += scale * y * (gy - sum(gy * y)): accumulates, as every backward kernel does. */
    @Benchmark
    public void backward() {
        backend.softmaxBackward(rows, cols, y, gy, scale, gx);
    }
}
