package io.elektron.bench.kernels;

import io.elektron.bench.ElectraGeometry;
import io.elektron.bench.RandomData;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.SeedStream;
import io.elektron.model.ElectraConfig;
import io.elektron.model.ElectraLayer;
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
 * One encoder layer (HF ElectraLayer) on [16, 128, H]: forward + backward in train mode (dropout on, the input needs a
 * gradient as it does inside a stack, parameter gradients zeroed each time as a training step does), and the forward
 * alone in eval mode without a graph. ELECTRA-small's training step is 12 of these plus embeddings, head and AdamW.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class EncoderLayerBench {
    @Param({"SMALL", "BASE"})
    public ElectraGeometry geometry;

    private ElectraLayer layer;
    private Tensor x; // [B, T, H], a leaf that needs a gradient
    private Tensor gradOut; // [B, T, H]
    private Tensor mask; // [B, T] additive

    @Setup(Level.Trial)
    public void setUp() {
        ElectraConfig c = geometry.config(1, ElectraGeometry.LABELS);
        layer = new ElectraLayer(c, new SplittableRandom(1), new SeedStream(1));
        int b = ElectraGeometry.BATCH;
        int t = ElectraGeometry.SEQ;
        x = RandomData.tensor(2, 1f, b, t, geometry.hidden).requiresGrad(true);
        gradOut = RandomData.tensor(3, 1e-3f, b, t, geometry.hidden);
        mask = Tensor.zerosUnscoped(x.backend(), b, t);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        layer.close();
        x.close();
        gradOut.close();
        mask.close();
    }

    @Benchmark
    public void forwardBackward() {
        layer.train(true);
        try (TensorScope scope = TensorScope.open()) {
            Tensor y = layer.forward(x, mask).context();
            y.backward(gradOut);
            layer.zeroGrad();
            x.zeroGrad();
        }
    }

    @Benchmark
    public float forwardInference() {
        layer.eval();
        try (GradMode off = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            return layer.forward(x, mask).context().get(0, 0, 0);
        }
    }
}
