package io.elektron.core;

/**
 * A group of independent row-major GEMMs that differ in shape and placement (MKL's {@code sgemm_batch} groups,
 * cuBLAS's grouped batched GEMM): GEMM g computes C_g = alpha op(A_g) op(B_g) + beta C_g, with op(A_g) [m_g, k_g],
 * op(B_g) [k_g, n_g] and C_g [m_g, n_g] starting at the given float offsets with the given leading dimensions.
 * Attention over a packed batch is one such group per product: one GEMM per sequence and head, each on its own length.
 */
public record GemmGroup(int[] m, int[] n, int[] k, long[] aOffsets, int[] lda, long[] bOffsets, int[] ldb,
                        long[] cOffsets, int[] ldc) {
    public GemmGroup {
        int count = m.length;
        if (n.length != count || k.length != count || aOffsets.length != count || lda.length != count
                || bOffsets.length != count || ldb.length != count || cOffsets.length != count || ldc.length != count) {
            throw new IllegalArgumentException("GEMM group: every per-GEMM array needs " + count + " entries");
        }
    }

    /** Number of GEMMs. */
    public int count() {
        return m.length;
    }

    /** Multiply-adds of the largest GEMM. */
    public long largest() {
        long w = 0;
        for (int g = 0; g < count(); g++) w = Math.max(w, (long) m[g] * n[g] * k[g]);
        return w;
    }

    /** Multiply-adds of the whole group. */
    public long work() {
        long w = 0;
        for (int g = 0; g < count(); g++) w += (long) m[g] * n[g] * k[g];
        return w;
    }
}
