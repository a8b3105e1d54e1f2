package io.elektron.bench.kernels;

import io.elektron.bench.ElectraGeometry;
import io.elektron.bench.RandomData;
import io.elektron.core.Backend;
import io.elektron.core.IndexStorage;
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
 * The word-embedding lookup of a [16, 128] batch into the 30522-row table (width 128 for ELECTRA-small, 768 for base):
 * the gather forward and the scatter-add backward into the rows the batch touched.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class EmbeddingBench {
    @Param({"SMALL", "BASE"})
    public ElectraGeometry geometry;

    private Backend backend;
    private IndexStorage ids;
    private int dim;
    private Storage weight;
    private Storage out;
    private Storage gy;
    private Storage gWeight;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Tensor.defaultBackend();
        dim = geometry.embedding;
        ids = backend.uploadIndices(RandomData.ids(ElectraGeometry.BATCH * ElectraGeometry.SEQ, geometry.vocab, 1));
        weight = RandomData.uniform(backend, (long) geometry.vocab * dim, 2, 0.02f);
        gWeight = backend.allocate((long) geometry.vocab * dim);
        out = backend.allocate((long) ids.size() * dim);
        gy = RandomData.uniform(backend, (long) ids.size() * dim, 3, 1f);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (Storage s : new Storage[]{weight, out, gy, gWeight}) s.close();
        ids.close();
    }

    @Benchmark
    public void gather() {
        backend.embeddingGather(ids, dim, weight, out);
    }

    /** gWeight[ids[i]] += gy[i], skipping the padding id 0. */
    @Benchmark
    public void scatterAdd() {
        backend.embeddingScatterAdd(ids, dim, gy, 0, gWeight);
    }
}
