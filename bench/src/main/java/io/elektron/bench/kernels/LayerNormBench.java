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
 * LayerNorm over [2048, width] rows: 128 (ELECTRA-small's embeddings), 256 (small's hidden), 768 (base). Backward
 * computes dx, dweight and dbias, accumulating as in training.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class LayerNormBench {
    @Param({"128", "256", "768"})
    public int width;

    private Backend backend;
    private int rows;
    private Storage x;
    private Storage weight;
    private Storage bias;
    private Storage out;
    private Storage mean;
    private Storage rstd;
    private Storage gy;
    private Storage gx;
    private Storage gWeight;
    private Storage gBias;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Tensor.defaultBackend();
        rows = ElectraGeometry.BATCH * ElectraGeometry.SEQ;
        long n = (long) rows * width;
        x = RandomData.uniform(backend, n, 1, 2f);
        gy = RandomData.uniform(backend, n, 2, 1f);
        weight = RandomData.uniform(backend, width, 3, 1f);
        bias = RandomData.uniform(backend, width, 4, 0.1f);
        out = backend.allocate(n);
        gx = backend.allocate(n);
        mean = backend.allocate(rows);
        rstd = backend.allocate(rows);
        gWeight = backend.allocate(width);
        gBias = backend.allocate(width);
        backend.layerNormForward(rows, width, x, weight, bias, 1e-12f, out, mean, rstd);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Storage s : new Storage[]{x, weight, bias, out, mean, rstd, gy, gx, gWeight, gBias}) s.close();
    }

    @Benchmark
    public void forward() {
        backend.layerNormForward(rows, width, x, weight, bias, 1e-12f, out, mean, rstd);
    }

    @Benchmark
    public void backward() {
        backend.layerNormBackward(rows, width, x, weight, mean, rstd, gy, gx, gWeight, gBias);
    }
}
