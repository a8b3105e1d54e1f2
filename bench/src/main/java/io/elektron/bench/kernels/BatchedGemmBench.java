package io.elektron.bench.kernels;

import io.elektron.bench.ElectraGeometry;
import io.elektron.bench.RandomData;
import io.elektron.core.Backend;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.cpu.CpuStorage;
import io.elektron.core.ops.AttentionProducts;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.concurrent.TimeUnit;

/**
 * The two batched GEMMs of attention at [16, heads, 128, 128]: scores = Q_bh K_bh^T and context = P_bh V_bh, with heads
 * addressed inside the [B, T, H] projections through leading dimensions (no permute copies). Three ways: the op
 * ({@link AttentionProducts}: allocation + the GEMMs), the Backend's strided-batched GEMM into a preallocated output,
 * and the raw cblas_sgemm loop over batch x heads on precomputed pointers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class BatchedGemmBench {
    /** Which attention product. */
    public enum Product { SCORES, CONTEXT }

    @Param({"SMALL", "BASE"})
    public ElectraGeometry geometry;

    @Param({"SCORES", "CONTEXT"})
    public Product product;

    private Backend backend;
    private int batch;
    private int time;
    private int hidden;
    private int heads;
    private int d;
    private Tensor q; // [B, T, H]
    private Tensor k; // [B, T, H]
    private Tensor probs; // [B, heads, T, T]
    private Tensor out; // scores [B, heads, T, T] or context [B, T, H]
    private FloatPointer[] left;
    private FloatPointer[] right;
    private FloatPointer[] result;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        backend = Tensor.defaultBackend();
        if (params.getBenchmark().endsWith(".rawSgemm")) KernelJvm.rawBlasThreads();
        batch = ElectraGeometry.BATCH;
        time = ElectraGeometry.SEQ;
        hidden = geometry.hidden;
        heads = geometry.heads;
        d = geometry.headSize();
        q = RandomData.tensor(1, 1f, batch, time, hidden);
        k = RandomData.tensor(2, 1f, batch, time, hidden);
        probs = RandomData.tensor(3, 0.01f, batch, heads, time, time);
        out = product == Product.SCORES ? Tensor.zerosUnscoped(backend, batch, heads, time, time)
                : Tensor.zerosUnscoped(backend, batch, time, hidden);
        // Raw pointers per (b, h), made once: the raw loop pays nothing but the sgemm calls.
        left = new FloatPointer[batch * heads];
        right = new FloatPointer[batch * heads];
        result = new FloatPointer[batch * heads];
        long tt = (long) time * time;
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int i = b * heads + h;
                long headOffset = (long) b * time * hidden + (long) h * d;
                long scoreOffset = (long) i * tt;
                if (product == Product.SCORES) {
                    left[i] = view(q, headOffset);
                    right[i] = view(k, headOffset);
                    result[i] = view(out, scoreOffset);
                } else {
                    left[i] = view(probs, scoreOffset);
                    right[i] = view(k, headOffset); // k stands in for V: same shape
                    result[i] = view(out, headOffset);
                }
            }
        }
    }

    private static FloatPointer view(Tensor t, long offset) {
        return ((CpuStorage) t.storage()).pointer().getPointer(offset);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        q.close();
        k.close();
        probs.close();
        out.close();
    }

    /** The op as the model calls it (allocates and zero-fills its output). */
    @Benchmark
    public float elektronOp() {
        try (TensorScope scope = TensorScope.open()) {
            Tensor r = product == Product.SCORES ? AttentionProducts.scores(q, k, heads)
                    : AttentionProducts.context(probs, k, heads);
            return product == Product.SCORES ? r.get(0, 0, 0, 0) : r.get(0, 0, 0);
        }
    }

    /** Backend.gemmStridedBatched per sequence, heads as the batch, into a preallocated output. */
    @Benchmark
    public void elektronStridedBatched() {
        long tt = (long) time * time;
        for (int b = 0; b < batch; b++) {
            long base = (long) b * time * hidden;
            if (product == Product.SCORES) {
                backend.gemmStridedBatched(false, true, time, time, d, 1f, q.storage(), base, hidden, d, k.storage(),
                        base, hidden, d, 0f, out.storage(), b * heads * tt, time, tt, heads);
            } else {
                backend.gemmStridedBatched(false, false, time, d, time, 1f, probs.storage(), b * heads * tt, time, tt,
                        k.storage(), base, hidden, d, 0f, out.storage(), base, hidden, d, heads);
            }
        }
    }

    /** batch x heads raw cblas_sgemm calls, OpenBLAS threading each call itself over all threads. */
    @Benchmark
    public void rawSgemm() {
        int no = openblas_nolapack.CblasNoTrans;
        for (int i = 0; i < left.length; i++) {
            if (product == Product.SCORES) {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, no, openblas_nolapack.CblasTrans,
                        time, time, d, 1f, left[i], hidden, right[i], hidden, 0f, result[i], time);
            } else {
                openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, no, no,
                        time, d, time, 1f, left[i], time, right[i], hidden, 0f, result[i], hidden);
            }
        }
    }
}
