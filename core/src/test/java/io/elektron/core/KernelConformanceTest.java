package io.elektron.core;

import io.elektron.core.spec.ReferenceKernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static io.elektron.core.ConformanceArrays.assertClose;
import static io.elektron.core.ConformanceArrays.plus;
import static io.elektron.core.ConformanceArrays.random;
import static io.elektron.core.ConformanceArrays.read;
import static io.elektron.core.ConformanceArrays.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every registered backend's kernels against {@link ReferenceKernels}, the plain specification, on the same random
 * inputs. Sizes are odd and large enough to take each backend's fast paths (SIMD bodies and tails, work split over
 * threads), and accumulating kernels start from a non-zero gradient, so that "+=" is checked too. Tolerances are
 * float32 rounding against a double-precision reference, never looser. The kernels that move, broadcast, batch and
 * reduce are in {@link LayoutKernelConformanceTest}.
 */
class KernelConformanceTest {
    private static final int ROWS = 67;
    private static final int COLS = 389;
    private static final int N = ROWS * COLS;

    static List<Backend> backends() {
        return BackendContractTest.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void gemmInEveryTransposition(Backend b) {
        SplittableRandom r = new SplittableRandom(1);
        int m = 67, n = 45, k = 129;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 5;
                float[] a = random(r, (ta ? k : m) * lda, 1);
                float[] bm = random(r, (tb ? n : k) * ldb, 1);
                float[] c = random(r, m * ldc, 1);
                Storage cs = upload(b, c);
                b.gemm(ta, tb, m, n, k, 0.75f, upload(b, a), 0, lda, upload(b, bm), 0, ldb, 0.5f, cs, 0, ldc);
                float[] expected = ReferenceKernels.gemm(ta, tb, m, n, k, 0.75f, a, lda, bm, ldb, 0.5f, c, ldc);
                assertClose("gemm " + (ta ? "T" : "N") + (tb ? "T" : "N"), expected, read(b, cs, c.length), 1e-5, 2e-5);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void activations(Backend b) {
        SplittableRandom r = new SplittableRandom(2);
        float[] x = random(r, N, 4);
        float[] gy = random(r, N, 1);
        float[] g0 = random(r, N, 1);
        Storage xs = upload(b, x);
        Storage out = b.allocate(N);
        b.geluForward(N, xs, out);
        assertClose("geluForward", ReferenceKernels.geluForward(x), read(b, out, N), 1e-6, 1e-7);
        Storage gx = upload(b, g0);
        b.geluBackward(N, xs, upload(b, gy), gx);
        assertClose("geluBackward", plus(g0, ReferenceKernels.geluBackward(x, gy)), read(b, gx, N), 1e-6, 1e-6);
        b.tanhForward(N, xs, out);
        float[] y = read(b, out, N);
        assertClose("tanhForward", ReferenceKernels.tanhForward(x), y, 1e-6, 1e-7);
        gx = upload(b, g0);
        b.tanhBackward(N, out, upload(b, gy), gx);
        assertClose("tanhBackward", plus(g0, ReferenceKernels.tanhBackward(y, gy)), read(b, gx, N), 1e-6, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void softmaxWithAMaskSharedByRows(Backend b) {
        SplittableRandom r = new SplittableRandom(3);
        int rowsPerMaskRow = 4;
        int rows = 16 * rowsPerMaskRow;
        float[] x = random(r, rows * COLS, 8);
        float[] mask = new float[(rows / rowsPerMaskRow) * COLS];
        for (int i = 0; i < mask.length; i++) mask[i] = r.nextInt(5) == 0 ? -1e4f : 0f; // HF's additive padding mask
        Storage out = b.allocate(x.length);
        b.softmaxForward(rows, COLS, upload(b, x), 0.125f, upload(b, mask), rowsPerMaskRow, out);
        float[] y = read(b, out, x.length);
        assertClose("softmaxForward", ReferenceKernels.softmaxForward(rows, COLS, x, 0.125f, mask, rowsPerMaskRow), y,
                1e-5, 1e-8);
        float[] gy = random(r, x.length, 1);
        float[] g0 = random(r, x.length, 1);
        Storage gx = upload(b, g0);
        b.softmaxBackward(rows, COLS, out, upload(b, gy), 0.125f, gx);
        assertClose("softmaxBackward", plus(g0, ReferenceKernels.softmaxBackward(rows, COLS, y, gy, 0.125f)),
                read(b, gx, x.length), 1e-5, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void layerNorm(Backend b) {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = random(r, N, 3);
        for (int i = 0; i < N; i++) x[i] += 5; // an offset mean, where a one-pass variance would lose digits
        float[] w = random(r, COLS, 1);
        float[] bias = random(r, COLS, 1);
        Storage xs = upload(b, x), ws = upload(b, w);
        Storage out = b.allocate(N), mean = b.allocate(ROWS), rstd = b.allocate(ROWS);
        b.layerNormForward(ROWS, COLS, xs, ws, upload(b, bias), 1e-12f, out, mean, rstd);
        float[][] ref = ReferenceKernels.layerNormForward(ROWS, COLS, x, w, bias, 1e-12f);
        assertClose("layerNormForward", ref[0], read(b, out, N), 1e-5, 1e-5);
        assertClose("layerNormForward mean", ref[1], read(b, mean, ROWS), 1e-6, 1e-6);
        assertClose("layerNormForward rstd", ref[2], read(b, rstd, ROWS), 1e-5, 0);
        float[] gy = random(r, N, 1);
        float[] gx0 = random(r, N, 1), gw0 = random(r, COLS, 1), gb0 = random(r, COLS, 1);
        Storage gx = upload(b, gx0), gw = upload(b, gw0), gb = upload(b, gb0);
        b.layerNormBackward(ROWS, COLS, xs, ws, mean, rstd, upload(b, gy), gx, gw, gb);
        float[][] grads = ReferenceKernels.layerNormBackward(ROWS, COLS, x, w, read(b, mean, ROWS), read(b, rstd, ROWS), gy);
        assertClose("layerNormBackward gx", plus(gx0, grads[0]), read(b, gx, N), 1e-4, 1e-5);
        assertClose("layerNormBackward gWeight", plus(gw0, grads[1]), read(b, gw, COLS), 1e-4, 1e-4);
        assertClose("layerNormBackward gBias", plus(gb0, grads[2]), read(b, gb, COLS), 1e-5, 1e-5);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void dropoutDrawsTheSpecifiedMask(Backend b) {
        float[] x = random(new SplittableRandom(5), N, 1);
        Storage mask = b.allocate(N), out = b.allocate(N);
        b.dropoutForward(N, upload(b, x), 0.1f, 1234L, mask, out);
        float[][] ref = ReferenceKernels.dropoutForward(x, 0.1f, 1234L);
        assertClose("dropoutForward mask", ref[0], read(b, mask, N), 0, 0);
        assertClose("dropoutForward out", ref[1], read(b, out, N), 1e-7, 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sumRowsAndEmbeddings(Backend b) {
        SplittableRandom r = new SplittableRandom(6);
        float[] src = random(r, N, 1);
        float[] d0 = random(r, COLS, 1);
        Storage dst = upload(b, d0);
        b.sumRows(ROWS, COLS, upload(b, src), dst);
        assertClose("sumRows", plus(d0, ReferenceKernels.sumRows(ROWS, COLS, src)), read(b, dst, COLS), 1e-5, 1e-5);

        int vocab = 50;
        int[] ids = new int[ROWS];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(vocab); // repeats, and the padding id 0 now and then
        float[] weight = random(r, vocab * COLS, 1);
        Storage gathered = b.allocate(ROWS * COLS);
        b.embeddingGather(b.uploadIndices(ids), COLS, upload(b, weight), gathered);
        assertClose("embeddingGather", ReferenceKernels.embeddingGather(ids, COLS, weight), read(b, gathered, N), 0, 0);
        float[] gy = random(r, N, 1);
        float[] g0 = random(r, vocab * COLS, 1);
        Storage g = upload(b, g0);
        b.embeddingScatterAdd(b.uploadIndices(ids), COLS, upload(b, gy), 0, g);
        assertClose("embeddingScatterAdd", plus(g0, ReferenceKernels.embeddingScatterAdd(ids, COLS, gy, 0, vocab)),
                read(b, g, g0.length), 1e-6, 1e-6);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void perExampleNorms(Backend b) {
        SplittableRandom r = new SplittableRandom(7);
        int examples = 5;
        int[] owner = new int[ROWS];
        for (int i = 0; i < owner.length; i++) owner[i] = r.nextInt(4) == 0 ? -1 : i * examples / ROWS; // padding: -1
        owner[0] = 0;
        float[] x = random(r, N, 0.1);
        // Example 0's rows are zero: a zero gradient normalises to zero, not to NaN.
        for (int row = 0; row < ROWS; row++) if (owner[row] == 0) java.util.Arrays.fill(x, row * COLS, (row + 1) * COLS, 0f);
        IndexStorage owners = b.uploadIndices(owner);
        Storage xs = upload(b, x);
        Storage norms = b.allocate(examples);
        b.segmentNorms(owners, COLS, xs, examples, norms);
        assertClose("segmentNorms", ReferenceKernels.segmentNorms(owner, COLS, x, examples), read(b, norms, examples),
                1e-6, 0);
        Storage out = b.allocate(N);
        b.normalizeSegments(owners, COLS, xs, examples, 0.7f, out);
        assertClose("normalizeSegments", ReferenceKernels.normalizeSegments(owner, COLS, x, examples, 0.7f),
                read(b, out, N), 1e-6, 1e-9);
        float eps = ReferenceKernels.segmentNorms(owner, COLS, x, examples)[2]; // example 2 sits on the ball's edge
        b.projectSegments(owners, COLS, xs, examples, eps * 0.999f);
        assertClose("projectSegments", ReferenceKernels.projectSegments(owner, COLS, x, examples, eps * 0.999f),
                read(b, xs, N), 1e-6, 1e-9);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void losses(Backend b) {
        SplittableRandom r = new SplittableRandom(8);
        int labels = 28;
        float[] logits = random(r, ROWS * labels, 6);
        float[] targets = new float[logits.length];
        for (int i = 0; i < targets.length; i++) targets[i] = r.nextInt(10) == 0 ? 1 : 0;
        float[] posWeight = random(r, labels, 10);
        for (int i = 0; i < labels; i++) posWeight[i] = Math.abs(posWeight[i]) + 1;
        Storage ls = upload(b, logits), ts = upload(b, targets), pw = upload(b, posWeight);
        Storage loss = b.allocate(1);
        b.bceWithLogitsLoss(ROWS, labels, ls, ts, pw, logits.length, loss);
        assertEquals(ReferenceKernels.bceWithLogitsLoss(ROWS, labels, logits, targets, posWeight, logits.length),
                read(b, loss, 1)[0], 1e-6);
        float[] g0 = random(r, logits.length, 1);
        Storage gx = upload(b, g0);
        b.bceWithLogitsBackward(ROWS, labels, ls, ts, pw, upload(b, new float[]{0.5f}), logits.length, gx);
        assertClose("bceWithLogitsBackward", plus(g0, ReferenceKernels.bceWithLogitsBackward(ROWS, labels, logits,
                targets, posWeight, 0.5f, logits.length)), read(b, gx, logits.length), 1e-6, 1e-7);

        int[] classes = new int[ROWS];
        for (int i = 0; i < ROWS; i++) classes[i] = i % 7 == 0 ? -100 : r.nextInt(labels);
        IndexStorage cs = b.uploadIndices(classes);
        b.crossEntropyLoss(ROWS, labels, ls, cs, -100, 57, loss);
        assertEquals(ReferenceKernels.crossEntropyLoss(ROWS, labels, logits, classes, -100, 57), read(b, loss, 1)[0], 1e-5);
        gx = upload(b, g0);
        b.crossEntropyBackward(ROWS, labels, ls, cs, -100, upload(b, new float[]{2f}), 57, gx);
        assertClose("crossEntropyBackward", plus(g0, ReferenceKernels.crossEntropyBackward(ROWS, labels, logits, classes,
                -100, 2f, 57)), read(b, gx, logits.length), 1e-6, 1e-7);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void adamw(Backend b) {
        SplittableRandom r = new SplittableRandom(9);
        float[] p = random(r, N, 1), g = random(r, N, 1), m = random(r, N, 0.1);
        float[] v = random(r, N, 0.01);
        for (int i = 0; i < N; i++) v[i] = Math.abs(v[i]);
        Storage ps = upload(b, p), ms = upload(b, m), vs = upload(b, v);
        // Step 3 of lr 1e-3, betas (0.9, 0.999), eps 1e-6, weight decay 0.01: the trainer's bias corrections.
        float stepSize = (float) (1e-3 / (1 - Math.pow(0.9, 3)));
        float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(0.999, 3));
        b.adamwUpdate(N, ps, upload(b, g), ms, vs, 1e-3f, 0.9f, 0.999f, 1e-6f, 0.01f, stepSize, sqrtBc2);
        float[][] ref = ReferenceKernels.adamwUpdate(p, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-6f, 0.01f, stepSize, sqrtBc2);
        assertClose("adamwUpdate param", ref[0], read(b, ps, N), 1e-6, 1e-7);
        assertClose("adamwUpdate m", ref[1], read(b, ms, N), 1e-6, 1e-8);
        assertClose("adamwUpdate v", ref[2], read(b, vs, N), 1e-6, 1e-9);
    }
}
