package io.elektron.core.spec;

/**
 * The {@link io.elektron.core.Backend} kernels written as plainly as they are defined: host arrays, one loop per
 * formula, every sum in double, no threads, no SIMD, no blocking. They are the specification a backend is tested
 * against (the kernel conformance suite runs each backend's kernel and this one on the same random inputs), and the
 * place to read what a kernel computes before writing it for a new device.
 *
 * <p>Arguments follow the {@code Backend} method of the same name, with arrays for storages; outputs are returned as
 * new arrays, and kernels that accumulate in the contract ({@code +=}) return the increment only, so a test adds it to
 * whatever the gradient held.
 */
public final class ReferenceKernels {
    private ReferenceKernels() {
    }

    /** Row-major alpha * op(A) op(B) + beta * C for C [m, n] with leading dimension ldc. */
    public static float[] gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                               float[] b, int ldb, float beta, float[] c, int ldc) {
        float[] out = c.clone();
        gemmInto(transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, out, 0, ldc);
        return out;
    }

    /** The same GEMM on operands that start at the given offsets, written into c in place (batched GEMMs). */
    static void gemmInto(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOffset,
                         int lda, float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    double bpj = transB ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                    dot += aip * bpj;
                }
                int at = cOffset + i * ldc + j;
                c[at] = (float) (alpha * dot + (beta == 0f ? 0 : beta * (double) c[at]));
            }
        }
    }

    public static float[] geluForward(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = GeluMath.gelu(x[i]);
        return out;
    }

    /** The increment gy * gelu'(x). */
    public static float[] geluBackward(float[] x, float[] gy) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = gy[i] * GeluMath.geluDerivative(x[i]);
        return out;
    }

    public static float[] tanhForward(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) Math.tanh(x[i]);
        return out;
    }

    /** The increment gy * (1 - y^2). */
    public static float[] tanhBackward(float[] y, float[] gy) {
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) out[i] = (float) (gy[i] * (1.0 - (double) y[i] * y[i]));
        return out;
    }

    /** Row softmax of scale * x + mask, one mask row per rowsPerMaskRow rows (mask may be null). */
    public static float[] softmaxForward(int rows, int cols, float[] x, float scale, float[] mask, int rowsPerMaskRow) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double[] z = new double[cols];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                z[c] = (double) scale * x[r * cols + c] + (mask == null ? 0 : mask[(r / rowsPerMaskRow) * cols + c]);
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += Math.exp(z[c] - max);
            for (int c = 0; c < cols; c++) out[r * cols + c] = (float) (Math.exp(z[c] - max) / sum);
        }
        return out;
    }

    /** The increment scale * y * (gy - sum(gy * y)) per row. */
    public static float[] softmaxBackward(int rows, int cols, float[] y, float[] gy, float scale) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += (double) gy[r * cols + c] * y[r * cols + c];
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                out[i] = (float) (scale * (double) y[i] * (gy[i] - dot));
            }
        }
        return out;
    }

    /** Row softmax of scale * x over every segment of rows (each at its own width; no mask). */
    public static float[] softmaxForwardSegments(long[] offsets, int[] rows, int[] cols, float[] x, float scale) {
        float[] out = new float[x.length];
        for (int s = 0; s < offsets.length; s++) {
            float[] segment = slice(x, offsets[s], rows[s] * cols[s]);
            float[] y = softmaxForward(rows[s], cols[s], segment, scale, null, 1);
            System.arraycopy(y, 0, out, (int) offsets[s], y.length);
        }
        return out;
    }

    /** The increment scale * y * (gy - sum(gy * y)) per row of every segment. */
    public static float[] softmaxBackwardSegments(long[] offsets, int[] rows, int[] cols, float[] y, float[] gy,
                                                  float scale) {
        float[] out = new float[y.length];
        for (int s = 0; s < offsets.length; s++) {
            int n = rows[s] * cols[s];
            float[] g = softmaxBackward(rows[s], cols[s], slice(y, offsets[s], n), slice(gy, offsets[s], n), scale);
            System.arraycopy(g, 0, out, (int) offsets[s], n);
        }
        return out;
    }

    /** LayerNorm over rows (biased variance): {output, mean per row, reciprocal std per row}. */
    public static float[][] layerNormForward(int rows, int cols, float[] x, float[] weight, float[] bias, float eps) {
        float[] out = new float[rows * cols];
        float[] mean = new float[rows];
        float[] rstd = new float[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) sum += x[r * cols + c];
            double mu = sum / cols;
            double var = 0;
            for (int c = 0; c < cols; c++) var += (x[r * cols + c] - mu) * (x[r * cols + c] - mu);
            double rs = 1.0 / Math.sqrt(var / cols + eps);
            mean[r] = (float) mu;
            rstd[r] = (float) rs;
            for (int c = 0; c < cols; c++) out[r * cols + c] = (float) ((x[r * cols + c] - mu) * rs * weight[c] + bias[c]);
        }
        return new float[][]{out, mean, rstd};
    }

    /**
     * The increments {gx, gWeight, gBias} of LayerNorm's backward, from the saved mean and rstd: with xhat = (x - mu) *
     * rstd and d = gy * w, gx = rstd * (d - mean(d) - xhat * mean(d * xhat)); gWeight = sum over rows of gy * xhat;
     * gBias = sum over rows of gy.
     */
    public static float[][] layerNormBackward(int rows, int cols, float[] x, float[] weight, float[] mean, float[] rstd,
                                              float[] gy) {
        float[] gx = new float[rows * cols];
        double[] gw = new double[cols];
        double[] gb = new double[cols];
        for (int r = 0; r < rows; r++) {
            double meanD = 0;
            double meanDXhat = 0;
            for (int c = 0; c < cols; c++) {
                double xhat = (x[r * cols + c] - mean[r]) * (double) rstd[r];
                double d = (double) gy[r * cols + c] * weight[c];
                meanD += d / cols;
                meanDXhat += d * xhat / cols;
                gw[c] += gy[r * cols + c] * xhat;
                gb[c] += gy[r * cols + c];
            }
            for (int c = 0; c < cols; c++) {
                double xhat = (x[r * cols + c] - mean[r]) * (double) rstd[r];
                double d = (double) gy[r * cols + c] * weight[c];
                gx[r * cols + c] = (float) (rstd[r] * (d - meanD - xhat * meanDXhat));
            }
        }
        return new float[][]{gx, toFloats(gw), toFloats(gb)};
    }

    /** {mask, out}: mask[i] = 0 with probability p (the counter RNG's draw below p), else 1 / (1 - p); out = x * mask. */
    public static float[][] dropoutForward(float[] x, float p, long seed) {
        float[] mask = new float[x.length];
        float[] out = new float[x.length];
        int[] keys = CounterRandom.keys(seed);
        int threshold = CounterRandom.keepThreshold(p);
        float keep = 1f / (1f - p);
        for (int i = 0; i < x.length; i++) {
            mask[i] = (CounterRandom.draw(keys[0], keys[1], i) >>> 8) >= threshold ? keep : 0f;
            out[i] = x[i] * mask[i];
        }
        return new float[][]{mask, out};
    }

    /** The increment of dst [cols]: column sums of src [rows, cols]. */
    public static float[] sumRows(int rows, int cols, float[] src) {
        double[] sums = new double[cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) sums[c] += src[r * cols + c];
        return toFloats(sums);
    }

    public static float[] embeddingGather(int[] ids, int dim, float[] weight) {
        float[] out = new float[ids.length * dim];
        for (int i = 0; i < ids.length; i++) System.arraycopy(weight, ids[i] * dim, out, i * dim, dim);
        return out;
    }

    /** The increment of gWeight [rows, dim]: gy's row i added to row ids[i] unless it is the padding id. */
    public static float[] embeddingScatterAdd(int[] ids, int dim, float[] gy, int paddingIdx, int weightRows) {
        double[] out = new double[weightRows * dim];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == paddingIdx) continue;
            for (int d = 0; d < dim; d++) out[ids[i] * dim + d] += gy[i * dim + d];
        }
        return toFloats(out);
    }

    /** Per segment, the L2 norm of its rows; rows of segment -1 count for none. */
    public static float[] segmentNorms(int[] segmentOfRow, int dim, float[] x, int segments) {
        double[] norms = segmentNormsInDouble(segmentOfRow, dim, x, segments);
        return toFloats(norms);
    }

    /** eps * x / ||x_s|| per segment; zero on padding rows and on a segment of zero or non-finite norm. */
    public static float[] normalizeSegments(int[] segmentOfRow, int dim, float[] x, int segments, float eps) {
        double[] norms = segmentNormsInDouble(segmentOfRow, dim, x, segments);
        float[] out = new float[x.length];
        for (int row = 0; row < segmentOfRow.length; row++) {
            int s = segmentOfRow[row];
            if (s < 0 || norms[s] == 0 || !Double.isFinite(norms[s])) continue;
            for (int d = 0; d < dim; d++) out[row * dim + d] = (float) (eps * (double) x[row * dim + d] / norms[s]);
        }
        return out;
    }

    /** x with every segment whose norm exceeds eps scaled onto the eps-ball. */
    public static float[] projectSegments(int[] segmentOfRow, int dim, float[] x, int segments, float eps) {
        double[] norms = segmentNormsInDouble(segmentOfRow, dim, x, segments);
        float[] out = x.clone();
        for (int row = 0; row < segmentOfRow.length; row++) {
            int s = segmentOfRow[row];
            if (s < 0 || !(norms[s] > eps)) continue;
            for (int d = 0; d < dim; d++) out[row * dim + d] = (float) (x[row * dim + d] * (eps / norms[s]));
        }
        return out;
    }

    /** alpha * x: the output of scale, and the increment axpy adds to y. */
    public static float[] scale(float alpha, float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) ((double) alpha * x[i]);
        return out;
    }

    /** x * y elementwise (multiply; with accumulate, this is the increment). */
    public static float[] multiply(float[] x, float[] y) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) ((double) x[i] * y[i]);
        return out;
    }

    /** (sum of x[offset, offset + n)) / divisor, summed in double. */
    public static float sum(float[] x, int offset, int n, double divisor) {
        double total = 0;
        for (int i = offset; i < offset + n; i++) total += x[i];
        return (float) (total / divisor);
    }

    /** The sum of squares of x[offset, offset + n), in double. */
    public static double sumOfSquares(float[] x, int offset, int n) {
        double total = 0;
        for (int i = offset; i < offset + n; i++) total += (double) x[i] * x[i];
        return total;
    }

    /** The mean over all elements of pw*y*softplus(-x) + (1-y)*softplus(x), divided by divisor instead of the count. */
    public static float bceWithLogitsLoss(int rows, int cols, float[] logits, float[] targets, float[] posWeight,
                                          double divisor) {
        double total = 0;
        for (int i = 0; i < rows * cols; i++) {
            double w = posWeight == null ? 1 : posWeight[i % cols];
            total += w * targets[i] * softplus(-logits[i]) + (1 - targets[i]) * softplus(logits[i]);
        }
        return (float) (total / divisor);
    }

    /** The increment (gy / divisor) * ((pw*y + 1 - y) * sigmoid(x) - pw*y). */
    public static float[] bceWithLogitsBackward(int rows, int cols, float[] logits, float[] targets, float[] posWeight,
                                                float gy, double divisor) {
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            double w = posWeight == null ? 1 : posWeight[i % cols];
            double y = targets[i];
            double sigmoid = 1 / (1 + Math.exp(-logits[i]));
            out[i] = (float) (gy / divisor * ((w * y + 1 - y) * sigmoid - w * y));
        }
        return out;
    }

    /** Sum of -log softmax(x)[target] over rows not ignored, divided by divisor (NaN for 0 / 0). */
    public static float crossEntropyLoss(int rows, int cols, float[] logits, int[] targets, int ignoreIndex,
                                         double divisor) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            total -= Math.log(softmaxRow(logits, r, cols)[targets[r]]);
        }
        return (float) (total / divisor);
    }

    /** The increment (gy / divisor) * (softmax(x) - onehot(target)) on rows not ignored. */
    public static float[] crossEntropyBackward(int rows, int cols, float[] logits, int[] targets, int ignoreIndex,
                                               float gy, double divisor) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            double[] p = softmaxRow(logits, r, cols);
            for (int c = 0; c < cols; c++) out[r * cols + c] = (float) (gy / divisor * (p[c] - (c == targets[r] ? 1 : 0)));
        }
        return out;
    }

    /**
     * torch.optim.AdamW, one step: {param, m, v} after it. Decoupled weight decay p *= 1 - lr * wd, then the moments,
     * then p -= stepSize * m / (sqrt(v) / sqrtBiasCorrection2 + eps).
     */
    public static float[][] adamwUpdate(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1,
                                        float beta2, float eps, float weightDecay, float stepSize,
                                        float sqrtBiasCorrection2) {
        float[] p = param.clone();
        float[] m2 = new float[m.length];
        float[] v2 = new float[v.length];
        for (int i = 0; i < p.length; i++) {
            m2[i] = (float) (beta1 * (double) m[i] + (1 - (double) beta1) * grad[i]);
            v2[i] = (float) (beta2 * (double) v[i] + (1 - (double) beta2) * grad[i] * (double) grad[i]);
            double decayed = p[i] * (1 - (double) lr * weightDecay);
            p[i] = (float) (decayed - stepSize * m2[i] / (Math.sqrt(v2[i]) / sqrtBiasCorrection2 + eps));
        }
        return new float[][]{p, m2, v2};
    }

    private static double[] segmentNormsInDouble(int[] segmentOfRow, int dim, float[] x, int segments) {
        double[] sq = new double[segments];
        for (int row = 0; row < segmentOfRow.length; row++) {
            int s = segmentOfRow[row];
            if (s < 0) continue;
            for (int d = 0; d < dim; d++) sq[s] += (double) x[row * dim + d] * x[row * dim + d];
        }
        for (int s = 0; s < segments; s++) sq[s] = Math.sqrt(sq[s]);
        return sq;
    }

    private static double[] softmaxRow(float[] logits, int r, int cols) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) max = Math.max(max, logits[r * cols + c]);
        double sum = 0;
        double[] p = new double[cols];
        for (int c = 0; c < cols; c++) sum += p[c] = Math.exp(logits[r * cols + c] - max);
        for (int c = 0; c < cols; c++) p[c] /= sum;
        return p;
    }

    private static float[] slice(float[] x, long offset, int n) {
        float[] out = new float[n];
        System.arraycopy(x, (int) offset, out, 0, n);
        return out;
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }
}
