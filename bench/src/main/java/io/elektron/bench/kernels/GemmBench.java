package io.elektron.bench.kernels;

import io.elektron.bench.RandomData;
import io.elektron.core.Backend;
import io.elektron.core.Storage;
import io.elektron.core.Tensor;
import io.elektron.core.cpu.CpuStorage;
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
 * GEMM at the model's Linear shapes through Elektron's {@link Backend#gemm} against a raw OpenBLAS
 * {@code cblas_sgemm} on the same buffers, so "Elektron matmul / raw sgemm" is the ratio of the two scores
 * ({@link GemmRatioReport} prints it with GFLOP/s). The backward layouts run with {@code -p layout=DGRAD_NN,WGRAD_TN}.
 * The raw baseline gets OpenBLAS's own threading on all the machine threads; Elektron's call does whatever the backend
 * does (at the time of writing: one OpenBLAS thread per call, the GEMM split across Elektron's pool).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {KernelJvm.THREADS, KernelJvm.VECTOR})
@State(Scope.Benchmark)
public class GemmBench {
    @Param({"SMALL_EMB_PROJ", "SMALL_QKV", "SMALL_FFN_IN", "SMALL_FFN_OUT", "BASE_QKV", "BASE_FFN_IN", "BASE_FFN_OUT",
            "SQUARE_1024"})
    public LinearShape shape;

    @Param({"FORWARD_NT"})
    public GemmLayout layout;

    private Backend backend;
    private Storage a;
    private Storage b;
    private Storage c;
    private FloatPointer pa;
    private FloatPointer pb;
    private FloatPointer pc;
    private int m;
    private int n;
    private int k;
    private int lda;
    private int ldb;
    private int ldc;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        backend = Tensor.defaultBackend();
        if (params.getBenchmark().endsWith(".rawSgemm")) KernelJvm.rawBlasThreads();
        int[] d = layout.dims(shape);
        m = d[0];
        n = d[1];
        k = d[2];
        lda = d[3];
        ldb = d[4];
        ldc = d[5];
        a = RandomData.uniform(backend, (long) m * k, 1, 1f);
        b = RandomData.uniform(backend, (long) k * n, 2, 1f);
        c = backend.allocate((long) m * n);
        pa = ((CpuStorage) a).pointer();
        pb = ((CpuStorage) b).pointer();
        pc = ((CpuStorage) c).pointer();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }

    /** Elektron: the Backend's GEMM (what MatMul.linear calls), on the same off-heap buffers. */
    @Benchmark
    public void elektronGemm() {
        backend.gemm(layout.transA(), layout.transB(), m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, ldc);
    }

    /** The anchor: cblas_sgemm straight on the native pointers, OpenBLAS threading itself over all threads. */
    @Benchmark
    public void rawSgemm() {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                layout.transA() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                layout.transB() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
    }
}
