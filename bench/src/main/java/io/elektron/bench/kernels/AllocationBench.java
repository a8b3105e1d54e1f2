package io.elektron.bench.kernels;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What every op pays before computing: a new zero-filled off-heap tensor and its release at scope close. Sizes: a
 * [2048, 256] activation (2 MiB), a [2048, 1024] intermediate (8 MiB), [16, 12, 128, 128] base attention scores
 * (12 MiB). Large blocks come from fresh mmap'd pages the kernel must fault in and zero on first touch, which is what
 * the end-to-end harness sees as system time and page faults.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class AllocationBench {
    @Param({"524288", "2097152", "3145728"})
    public int floats;

    @Benchmark
    public float zerosInScope() {
        try (TensorScope scope = TensorScope.open()) {
            return Tensor.zeros(floats).get(floats - 1);
        }
    }
}
