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

/** Exact (erf) GELU on the intermediate activation [2048, intermediate]: 1024 (ELECTRA-small) or 3072 (base). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class GeluBench {
    @Param({"1024", "3072"})
    public int intermediate;

    private Backend backend;
    private long n;
    private Storage x;
    private Storage out;
    private Storage gy;
    private Storage gx;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Tensor.defaultBackend();
        n = (long) ElectraGeometry.BATCH * ElectraGeometry.SEQ * intermediate;
        x = RandomData.uniform(backend, n, 1, 4f);
        gy = RandomData.uniform(backend, n, 2, 1f);
        out = backend.allocate(n);
        gx = backend.allocate(n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Storage s : new Storage[]{x, out, gy, gx}) s.close();
    }

    @Benchmark
    public void forward() {
        backend.geluForward(n, x, out);
    }

    /** gx += gy * gelu'(x). */
    @Benchmark
    public void backward() {
        backend.geluBackward(n, x, gy, gx);
    }
}
