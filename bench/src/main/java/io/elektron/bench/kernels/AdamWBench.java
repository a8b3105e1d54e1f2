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
 * One AdamW update over every parameter of the ELECTRA classifier (28 labels) as one flat run: 13.6 M values for
 * small, 109 M for base. Memory-bound: it reads p, g, m, v and writes p, m, v (28 bytes per parameter).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class AdamWBench {
    @Param({"SMALL", "BASE"})
    public ElectraGeometry geometry;

    private Backend backend;
    private long n;
    private Storage param;
    private Storage grad;
    private Storage m;
    private Storage v;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Tensor.defaultBackend();
        n = geometry.classifierParameters(ElectraGeometry.LABELS);
        param = RandomData.uniform(backend, n, 1, 0.02f);
        grad = RandomData.uniform(backend, n, 2, 0.01f);
        m = backend.allocate(n);
        v = backend.allocate(n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Storage s : new Storage[]{param, grad, m, v}) s.close();
    }

    /** torch.optim.AdamW's update at step 10, lr 1e-4, weight decay 0.01. */
    @Benchmark
    public void update() {
        float lr = 1e-4f;
        double bc1 = 1 - Math.pow(0.9, 10);
        double bc2 = 1 - Math.pow(0.999, 10);
        backend.adamwUpdate(n, param, grad, m, v, lr, 0.9f, 0.999f, 1e-8f, 0.01f, (float) (lr / bc1),
                (float) Math.sqrt(bc2));
    }
}
