package io.elektron.bench.kernels;

import io.elektron.bench.RandomData;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.ops.MatMul;
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
 * The whole Linear op as the model runs it (no grad): output allocation and zero-fill, the GEMM, the bias pass, the
 * scope's release. Against {@link GemmBench#rawSgemm} at the same shape this is what the op layer costs above BLAS.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class LinearBench {
    @Param({"SMALL_EMB_PROJ", "SMALL_QKV", "SMALL_FFN_IN", "SMALL_FFN_OUT", "BASE_QKV", "BASE_FFN_IN", "BASE_FFN_OUT"})
    public LinearShape shape;

    private Tensor x;
    private Tensor weight;
    private Tensor bias;

    @Setup(Level.Trial)
    public void setUp() {
        x = RandomData.tensor(1, 1f, shape.rows, shape.in);
        weight = RandomData.tensor(2, 0.02f, shape.out, shape.in);
        bias = RandomData.tensor(3, 0.02f, shape.out);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        weight.close();
        bias.close();
    }

    @Benchmark
    public float linearForward() {
        try (TensorScope scope = TensorScope.open()) {
            return MatMul.linear(x, weight, bias).get(0, 0);
        }
    }
}
