package io.elektron.core.cpu;

import io.elektron.core.GemmGroup;
import io.elektron.core.Storage;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.FloatBuffer;

/**
 * The CPU backend's GEMMs: OpenBLAS's cblas_sgemm on native pointers, and how work is shared out over the cores —
 * one large GEMM split by OpenBLAS (or into row or column blocks on Elektron's pool), and grids or groups of small
 * independent GEMMs (attention, per sequence and head) run side by side, each single-threaded, in one parallel region.
 */
final class CpuGemm {
    /**
     * OpenBLAS threads per call. A large GEMM is split by OpenBLAS itself, which shares its packed panels between
     * threads: measured on real text (MiniLM on GoEmotions, 2 cores) 24% faster training and 10% faster inference than
     * splitting C into independent per-thread GEMMs, and still 19% faster with a competing process on one core. 1
     * restores Elektron's own split of each GEMM across its pool.
     */
    static final int BLAS_THREADS = Integer.getInteger("elektron.blas.threads", CpuThreads.THREADS);

    /**
     * OpenBLAS runs a GEMM with at most this many multiply-adds on the calling thread only (its
     * GEMM_MULTITHREAD_THRESHOLD 4 x 65536): such GEMMs can run side by side on Elektron's pool threads without
     * OpenBLAS threading each of them again.
     */
    private static final long OPENBLAS_SINGLE_THREAD_WORK = 4L * 65536;

    private CpuGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, long aOffset, int lda, Storage b, long bOffset, int ldb,
                     float beta, Storage c, long cOffset, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            // BLAS would scale C by beta; do the same without touching A and B.
            if (beta != 1f) {
                FloatBuffer cb = ((CpuStorage) c).buffer();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        int idx = (int) (cOffset + (long) i * ldc + j);
                        cb.put(idx, beta == 0f ? 0f : beta * cb.get(idx));
                    }
                }
            }
            return;
        }
        long work = (long) m * n * k;
        // With more than one OpenBLAS thread per call (elektron.blas.threads), OpenBLAS splits the GEMM itself.
        int parts = BLAS_THREADS > 1 ? 1
                : (int) Math.min(CpuThreads.THREADS, Math.max(1, work / GEMM_WORK_PER_THREAD));
        if (parts <= 1) {
            sgemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        // Split C into row blocks (or column blocks when C is short and wide); each block is an independent GEMM.
        boolean byRows = m >= n || m >= 64 * parts;
        int extent = byRows ? m : n;
        int block = (extent + parts - 1) / parts;
        CpuThreads.parallelFor(parts, Long.MAX_VALUE / 4, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int start = p * block;
                int len = Math.min(block, extent - start);
                if (len <= 0) continue;
                if (byRows) {
                    // rows [start, start+len) of op(A) and C
                    long aOff = aOffset + (transA ? start : (long) start * lda);
                    sgemm(transA, transB, len, n, k, alpha, a, aOff, lda, b, bOffset, ldb, beta, c, cOffset + (long) start * ldc, ldc);
                } else {
                    // columns [start, start+len) of op(B) and C
                    long bOff = bOffset + (transB ? (long) start * ldb : start);
                    sgemm(transA, transB, m, len, k, alpha, a, aOffset, lda, b, bOff, ldb, beta, c, cOffset + start, ldc);
                }
            }
        });
    }

    /** Below this many multiply-adds per thread, splitting a GEMM costs more than it saves. */
    private static final long GEMM_WORK_PER_THREAD = 1L << 19;

    private static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                              Storage a, long aOffset, int lda, Storage b, long bOffset, int ldb,
                              float beta, Storage c, long cOffset, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, view(a, aOffset), lda, view(b, bOffset), ldb, beta, view(c, cOffset), ldc);
    }

    static void gemmBatchedGrid(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                Storage a, long aOffset, int lda, long aOuterStride, long aInnerStride,
                                Storage b, long bOffset, int ldb, long bOuterStride, long bInnerStride,
                                float beta, Storage c, long cOffset, int ldc, long cOuterStride, long cInnerStride,
                                int outer, int inner) {
        if (m == 0 || n == 0) return;
        int count = outer * inner;
        if (k == 0 || count < 2 || !sideBySide((long) m * n * k)) {
            for (int g = 0; g < count; g++) {
                int o = g / inner;
                int i = g % inner;
                gemm(transA, transB, m, n, k, alpha, a, aOffset + o * aOuterStride + i * aInnerStride, lda,
                        b, bOffset + o * bOuterStride + i * bInnerStride, ldb, beta,
                        c, cOffset + o * cOuterStride + i * cInnerStride, ldc);
            }
            return;
        }
        // Independent small GEMMs (attention: 128 x 128 x 64 per sequence and head), all in one parallel region,
        // each single-threaded: one region for the whole grid instead of one per sequence (measured 1.7x faster).
        CpuThreads.parallelFor(count, (long) m * n * k, (g0, g1) -> {
            for (int g = g0; g < g1; g++) {
                int o = g / inner;
                int i = g % inner;
                sgemm(transA, transB, m, n, k, alpha, a, aOffset + o * aOuterStride + i * aInnerStride, lda,
                        b, bOffset + o * bOuterStride + i * bInnerStride, ldb, beta,
                        c, cOffset + o * cOuterStride + i * cInnerStride, ldc);
            }
        });
    }

    /** Whether the GEMMs of a group are worth one parallel region ({@link #gemmGroupedSideBySide}). */
    static boolean runsSideBySide(GemmGroup group) {
        return group.count() >= 2 && sideBySide(group.largest());
    }

    static void gemmGroupedSideBySide(boolean transA, boolean transB, float alpha, Storage a, Storage b, float beta,
                                      Storage c, GemmGroup group) {
        int count = group.count();
        // Packed attention: B x heads GEMMs of a few dozen rows each. One parallel region for all of them, each
        // single-threaded; GEMMs of different lengths balance out over the pool's chunks.
        int[] m = group.m(), n = group.n(), k = group.k(), lda = group.lda(), ldb = group.ldb(), ldc = group.ldc();
        long[] ao = group.aOffsets(), bo = group.bOffsets(), co = group.cOffsets();
        CpuThreads.parallelFor(count, Math.max(1, group.work() / count), (g0, g1) -> {
            for (int g = g0; g < g1; g++) {
                if (m[g] == 0 || n[g] == 0) continue;
                if (k[g] == 0) {
                    gemm(transA, transB, m[g], n[g], 0, alpha, a, ao[g], lda[g], b, bo[g], ldb[g], beta, c, co[g], ldc[g]);
                    continue;
                }
                sgemm(transA, transB, m[g], n[g], k[g], alpha, a, ao[g], lda[g], b, bo[g], ldb[g], beta, c, co[g],
                        ldc[g]);
            }
        });
    }

    /**
     * Whether independent GEMMs of at most this many multiply-adds each run side by side on the pool, one
     * single-threaded OpenBLAS call per GEMM: always when OpenBLAS is single-threaded, otherwise only below the size
     * OpenBLAS would thread itself (two pool threads each starting threaded GEMMs would oversubscribe the cores).
     */
    private static boolean sideBySide(long largestWork) {
        return BLAS_THREADS <= 1 || largestWork <= OPENBLAS_SINGLE_THREAD_WORK;
    }

    /**
     * A pointer at base + offset floats: a small Java object, no copy. Never close it: a view shares the base
     * pointer's deallocator, so closing it would free the whole storage (observed with JavaCPP 1.5.13).
     */
    private static FloatPointer view(Storage s, long offset) {
        FloatPointer base = ((CpuStorage) s).pointer();
        return offset == 0 ? base : base.getPointer(offset);
    }
}
