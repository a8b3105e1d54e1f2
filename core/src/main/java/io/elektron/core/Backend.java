package io.elektron.core;

/**
 * The kernel contract every device implements (CPU always; CUDA when found through {@link java.util.ServiceLoader}).
 *
 * <p>Kernels take storages plus element offsets and sizes; tensors, shapes and autograd live above this line, so a new
 * backend implements arithmetic only. Callers (the ops) validate shapes and offsets before calling: a kernel may assume
 * its arguments are in range. Kernels named {@code ...Backward} or taking an {@code accumulate} flag ADD into their
 * gradient outputs ({@code +=}), which is how autograd accumulates gradients without temporaries.
 *
 * <p><b>Results stay on the device.</b> Reductions and losses write their value into a one-element storage of the
 * backend, and backward kernels read the incoming gradient {@code gy} from there: a training step brings a number to
 * the host only where the host needs it (logging the loss, a divergence check, FGM's normalisation), never once per
 * autograd node. The only kernels that return host values are {@link #download} and {@link #sumOfSquares}.
 *
 * <p><b>Ordering and release.</b> A backend may run kernels asynchronously, in the order the calling thread issued
 * them (one stream per thread). Every call that hands a value to Java ({@link #download}, {@link #sumOfSquares})
 * first waits for the work issued before it. {@link Storage#close()} and {@link IndexStorage#close()} are
 * stream-ordered: the memory may be reused only by work issued after the close, so Java may release a storage as soon
 * as it has issued the last kernel that reads it, without waiting. {@link #synchronize()} waits for everything issued
 * so far (for timing a step, or before handing memory to another library).
 */
public interface Backend {
    Device device();

    /** A human-readable description (library, threads, CPU features) for logs and benchmarks. */
    String describe();

    /** Waits until every kernel this thread issued has finished (a no-op for a synchronous backend). */
    void synchronize();

    /** New zero-filled storage of {@code n} floats. */
    Storage allocate(long n);

    /**
     * New storage of {@code n} floats whose contents are undefined, for an op whose kernel writes every element
     * before anything reads it (saves a pass over memory per op). By default the same as {@link #allocate}.
     */
    default Storage allocateUninitialized(long n) {
        return allocate(n);
    }

    // ---------------------------------------------------------------- movement
    void fill(Storage s, long offset, long n, float value);

    void copy(Storage src, long srcOffset, Storage dst, long dstOffset, long n);

    void upload(float[] src, int srcOffset, Storage dst, long dstOffset, int n);

    void download(Storage src, long srcOffset, float[] dst, int dstOffset, int n);

    /** New index storage holding a copy of {@code ids}; callers have checked every id against what it indexes. */
    IndexStorage uploadIndices(int[] ids);

    /** Copies a [rows, cols] block between two row-strided layouts; with {@code accumulate} adds instead. */
    void copy2d(Storage src, long srcOffset, int srcRowStride, Storage dst, long dstOffset, int dstRowStride,
                int rows, int cols, boolean accumulate);

    /**
     * Swaps two axes of a contiguous tensor viewed as [outer, a, mid, b, inner], writing [outer, b, mid, a, inner];
     * with {@code accumulate} adds into dst.
     */
    void swapAxes(Storage src, Storage dst, int outer, int a, int mid, int b, int inner, boolean accumulate);

    // ---------------------------------------------------------------- GEMM
    /** Row-major C = alpha * op(A) op(B) + beta * C with op(X) = X or X^T; leading dimensions as in BLAS. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              Storage a, long aOffset, int lda, Storage b, long bOffset, int ldb,
              float beta, Storage c, long cOffset, int ldc);

    /** {@code batch} independent GEMMs whose operands start {@code strideX} floats apart. */
    default void gemmStridedBatched(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                    Storage a, long aOffset, int lda, long strideA,
                                    Storage b, long bOffset, int ldb, long strideB,
                                    float beta, Storage c, long cOffset, int ldc, long strideC, int batch) {
        for (int i = 0; i < batch; i++) {
            gemm(transA, transB, m, n, k, alpha, a, aOffset + i * strideA, lda, b, bOffset + i * strideB, ldb,
                    beta, c, cOffset + i * strideC, ldc);
        }
    }

    /**
     * {@code outer x inner} independent GEMMs on a two-level grid: the operands of GEMM (o, i) start at
     * {@code xOffset + o * xOuterStride + i * xInnerStride}. Attention uses it with o = sequence and i = head, so all
     * batch x heads small GEMMs form one batch (per sequence, heads alone are too few to share out well).
     */
    default void gemmBatchedGrid(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 Storage a, long aOffset, int lda, long aOuterStride, long aInnerStride,
                                 Storage b, long bOffset, int ldb, long bOuterStride, long bInnerStride,
                                 float beta, Storage c, long cOffset, int ldc, long cOuterStride, long cInnerStride,
                                 int outer, int inner) {
        for (int o = 0; o < outer; o++) {
            gemmStridedBatched(transA, transB, m, n, k, alpha, a, aOffset + o * aOuterStride, lda, aInnerStride,
                    b, bOffset + o * bOuterStride, ldb, bInnerStride, beta, c, cOffset + o * cOuterStride, ldc,
                    cInnerStride, inner);
        }
    }

    /**
     * The GEMMs of a {@link GemmGroup}, each with its own shape, offsets and leading dimensions, on shared storages
     * (packed attention: one GEMM per sequence and head). By default one {@link #gemm} after another.
     */
    default void gemmGrouped(boolean transA, boolean transB, float alpha, Storage a, Storage b, float beta, Storage c,
                             GemmGroup group) {
        for (int g = 0; g < group.count(); g++) {
            gemm(transA, transB, group.m()[g], group.n()[g], group.k()[g], alpha, a, group.aOffsets()[g],
                    group.lda()[g], b, group.bOffsets()[g], group.ldb()[g], beta, c, group.cOffsets()[g],
                    group.ldc()[g]);
        }
    }

    // ---------------------------------------------------------------- elementwise
    /** out = a (op) b where each operand is addressed through broadcast strides (stride 0 on broadcast dims). */
    void broadcastBinary(BinaryOp op, int[] outShape, Storage a, int[] aStrides, Storage b, int[] bStrides, Storage out);

    /** dst[broadcast index] += src[i] for a contiguous src of {@code srcShape}: the backward of a broadcast. */
    void reduceBroadcast(Storage src, int[] srcShape, Storage dst, int[] dstStrides);

    /** y += alpha * x. */
    void axpy(long n, float alpha, Storage x, long xOffset, Storage y, long yOffset);

    /** out = alpha * x. */
    void scale(long n, float alpha, Storage x, Storage out);

    /** out = x * y elementwise, or out += x * y with accumulate. */
    void multiply(long n, Storage x, Storage y, Storage out, boolean accumulate);

    void geluForward(long n, Storage x, Storage out);

    /** gx += gy * gelu'(x). */
    void geluBackward(long n, Storage x, Storage gy, Storage gx);

    void tanhForward(long n, Storage x, Storage out);

    /** gx += gy * (1 - y^2), from the forward output y. */
    void tanhBackward(long n, Storage y, Storage gy, Storage gx);

    /** dst[c] += sum over rows of src[r, c]. */
    void sumRows(int rows, int cols, Storage src, Storage dst);

    // ---------------------------------------------------------------- softmax / norm / dropout
    /**
     * Row softmax of (scale * x + mask): rows of length {@code cols}; {@code mask} (nullable) holds one additive row
     * of length cols per {@code rowsPerMaskRow} consecutive rows ([B, Tk] masks for [B, heads, Tq, Tk] scores).
     */
    void softmaxForward(int rows, int cols, Storage x, float scale, Storage mask, int rowsPerMaskRow, Storage out);

    /** gx += scale * y * (gy - sum(gy * y)) per row. */
    void softmaxBackward(int rows, int cols, Storage y, Storage gy, float scale, Storage gx);

    /** Row softmax of scale * x (no mask) over {@link RowSegments}: each segment's rows have their own width. */
    void softmaxForwardSegments(RowSegments segments, Storage x, float scale, Storage out);

    /** gx += scale * y * (gy - sum(gy * y)) per row of every segment. */
    void softmaxBackwardSegments(RowSegments segments, Storage y, Storage gy, float scale, Storage gx);

    /** LayerNorm over rows of length cols (biased variance); saves mean and reciprocal std per row. */
    void layerNormForward(int rows, int cols, Storage x, Storage weight, Storage bias, float eps,
                          Storage out, Storage mean, Storage rstd);

    /** Accumulates into gx, gWeight, gBias; any of them may be null when not needed. */
    void layerNormBackward(int rows, int cols, Storage x, Storage weight, Storage mean, Storage rstd, Storage gy,
                           Storage gx, Storage gWeight, Storage gBias);

    /** out = x * mask, with mask[i] = 0 (dropped, probability p) or 1/(1-p), drawn from (seed, i) by a counter RNG. */
    void dropoutForward(long n, Storage x, float p, long seed, Storage mask, Storage out);

    // ---------------------------------------------------------------- embedding
    /** out[i] = weight[ids[i]] for rows of length dim. */
    void embeddingGather(IndexStorage ids, int dim, Storage weight, Storage out);

    /**
     * gWeight[ids[i]] += gy[i] for every i whose id is not paddingIdx (paddingIdx &lt; 0: none); repeated ids add
     * up.
     */
    void embeddingScatterAdd(IndexStorage ids, int dim, Storage gy, int paddingIdx, Storage gWeight);

    // ---------------------------------------------------------------- per-example norms
    /**
     * Per-segment L2 norms of a [rows, dim] matrix, rows = segmentOfRow.size(): norms[s] = sqrt(sum of x^2 over the
     * rows whose segment is s), summed in double, for s in [0, segments); rows of segment -1 (padding) count for none.
     */
    void segmentNorms(IndexStorage segmentOfRow, int dim, Storage x, int segments, Storage norms);

    /**
     * out = eps * x / ||x_s|| on the rows of each segment s (the norm in double, as {@link #segmentNorms}); zero on
     * rows of segment -1 and on every row of a segment whose norm is 0 or not finite. Miyato et al.'s per-example
     * normalisation of a perturbation of the embedded sequence.
     */
    void normalizeSegments(IndexStorage segmentOfRow, int dim, Storage x, int segments, float eps, Storage out);

    /** In place: the rows of each segment whose norm exceeds eps are scaled by eps / norm (onto the eps-ball). */
    void projectSegments(IndexStorage segmentOfRow, int dim, Storage x, int segments, float eps);

    // ---------------------------------------------------------------- losses / reductions
    /**
     * out[0] = (sum over all elements of BCE-with-logits) / divisor, summed in double: pw*y*softplus(-x) +
     * (1-y)*softplus(x); posWeight (nullable) has one value per column (label).
     */
    void bceWithLogitsLoss(int rows, int cols, Storage logits, Storage targets, Storage posWeight, double divisor,
                           Storage out);

    /** gx += (gy[0] / divisor) * ((pw*y + 1 - y) * sigmoid(x) - pw*y), with gy a one-element storage. */
    void bceWithLogitsBackward(int rows, int cols, Storage logits, Storage targets, Storage posWeight, Storage gy,
                               double divisor, Storage gx);

    /**
     * out[0] = (sum of -log softmax(x)[target] over rows whose target is not ignoreIndex) / divisor, summed in double
     * (a divisor of 0 gives NaN, PyTorch's mean over no rows).
     */
    void crossEntropyLoss(int rows, int cols, Storage logits, IndexStorage targets, int ignoreIndex, double divisor,
                          Storage out);

    /** gx += (gy[0] / divisor) * (softmax(x) - onehot(target)) on rows whose target is not ignoreIndex. */
    void crossEntropyBackward(int rows, int cols, Storage logits, IndexStorage targets, int ignoreIndex, Storage gy,
                              double divisor, Storage gx);

    /** out[outOffset] = (sum of x[offset, offset + n)) / divisor, summed in double. */
    void sum(Storage x, long offset, long n, double divisor, Storage out, long outOffset);

    /** out[i] += scalar[0] / divisor for i in [0, n): the backward of a sum or a mean, its gy left on the device. */
    void addScalar(long n, Storage scalar, double divisor, Storage out);

    /**
     * The sum of squares of x[offset, offset + n) in double, brought to the host (so it waits for issued work): norms
     * that decide what the host does next (FGM's scale, clipping, the finite-weights check).
     */
    double sumOfSquares(Storage x, long offset, long n);

    /**
     * The sum of squares of the first {@code counts[i]} floats of every {@code xs[i]}, in double, with one wait for
     * all of them: the global gradient norm costs one trip to the host per step, not one per parameter.
     */
    default double sumOfSquares(Storage[] xs, long[] counts) {
        double total = 0;
        for (int i = 0; i < xs.length; i++) total += sumOfSquares(xs[i], 0, counts[i]);
        return total;
    }

    // ---------------------------------------------------------------- optimizer
    /**
     * One torch.optim.AdamW update of n elements: p *= 1 - lr*wd; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2;
     * p -= stepSize * m / (sqrt(v) / sqrtBiasCorrection2 + eps) with stepSize = lr / (1 - b1^t).
     */
    void adamwUpdate(long n, Storage param, Storage grad, Storage m, Storage v, float lr, float beta1, float beta2,
                     float eps, float weightDecay, float stepSize, float sqrtBiasCorrection2);

    /** Elementwise binary operations of {@link #broadcastBinary}. */
    enum BinaryOp { ADD, SUBTRACT, MULTIPLY }
}
