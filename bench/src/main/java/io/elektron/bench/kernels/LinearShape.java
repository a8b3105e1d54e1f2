package io.elektron.bench.kernels;

import io.elektron.bench.ElectraGeometry;

/**
 * The Linear layers of ELECTRA-small and -base at a [16, 128] batch: x [rows, in] times W [out, in]^T. Q, K, V and
 * attention.output.dense share one shape; ELECTRA-base has no embeddings_project. SQUARE_1024 is the MFU reference.
 */
public enum LinearShape {
    SMALL_EMB_PROJ(ElectraGeometry.SMALL.rows(), 128, 256),
    SMALL_QKV(ElectraGeometry.SMALL.rows(), 256, 256),
    SMALL_FFN_IN(ElectraGeometry.SMALL.rows(), 256, 1024),
    SMALL_FFN_OUT(ElectraGeometry.SMALL.rows(), 1024, 256),
    BASE_QKV(ElectraGeometry.BASE.rows(), 768, 768),
    BASE_FFN_IN(ElectraGeometry.BASE.rows(), 768, 3072),
    BASE_FFN_OUT(ElectraGeometry.BASE.rows(), 3072, 768),
    SQUARE_1024(1024, 1024, 1024);

    public final int rows;
    public final int in;
    public final int out;

    LinearShape(int rows, int in, int out) {
        this.rows = rows;
        this.in = in;
        this.out = out;
    }

    public double flops() {
        return 2.0 * rows * in * out;
    }
}
