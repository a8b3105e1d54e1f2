package io.elektron.bench.kernels;

import io.elektron.bench.ElectraGeometry;
import io.elektron.bench.RandomData;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ResidualOutput;
import io.elektron.model.SelfAttention;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One attention block forward (HF's ElectraAttention: self-attention, then dense + residual LayerNorm) on [16, 128, H]
 * in eval mode without a graph, as inference runs it: Q/K/V Linears, scores, masked softmax, context, output dense,
 * residual add, LayerNorm.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class AttentionBlockBench {
    @Param({"SMALL", "BASE"})
    public ElectraGeometry geometry;

    private SelfAttention attention;
    private ResidualOutput output;
    private Tensor x; // [B, T, H]
    private Tensor mask; // [B, T] additive

    @Setup(Level.Trial)
    public void setUp() {
        ElectraConfig c = geometry.config(1, ElectraGeometry.LABELS);
        SplittableRandom init = new SplittableRandom(1);
        SeedStream seeds = new SeedStream(1);
        attention = new SelfAttention(c, init, seeds);
        output = new ResidualOutput(c.hiddenSize(), c, init, seeds);
        attention.eval();
        output.eval();
        x = RandomData.tensor(2, 1f, ElectraGeometry.BATCH, ElectraGeometry.SEQ, geometry.hidden);
        mask = Tensor.zerosUnscoped(x.backend(), ElectraGeometry.BATCH, ElectraGeometry.SEQ);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        attention.close();
        output.close();
        x.close();
        mask.close();
    }

    @Benchmark
    public float forwardInference() {
        try (GradMode off = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            SelfAttention.Result r = attention.forward(x, mask);
            return output.forward(r.context(), x).get(0, 0, 0);
        }
    }
}
