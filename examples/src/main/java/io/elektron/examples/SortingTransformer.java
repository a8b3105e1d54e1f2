package io.elektron.examples;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.Embedding;
import io.elektron.core.nn.LayerNorm;
import io.elektron.core.nn.Linear;
import io.elektron.core.nn.Module;
import io.elektron.core.nn.ModuleList;
import io.elektron.core.ops.AttentionProducts;
import io.elektron.core.ops.Losses;
import io.elektron.core.ops.Softmax;
import io.elektron.core.optim.AdamW;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Example 2 — a transformer from scratch. A two-layer encoder built from core pieces (Embedding, Linear, LayerNorm and
 * the attention ops) learns to sort strings of 8 digits: position i must output the i-th smallest digit. No token can
 * do that alone: each position has to find out, through attention, how many digits are smaller than each candidate.
 * Trained on fresh random strings each step, measured by exact match (all 8 digits right) on 2,000 strings it has
 * never seen. (Reversing a string, the other classic, takes this model 250 steps: the mirrored position is fixed.)
 *
 * <pre>{@code ./examples/run sort [--quick]}</pre>
 */
public final class SortingTransformer {
    static final int LENGTH = 8;
    static final int DIGITS = 10;

    /** What the run reached. */
    public record Result(double firstLoss, double lastLoss, double exactMatch, int steps) {
    }

    /**
     * The model: token + position embeddings, then post-LayerNorm blocks exactly like ELECTRA's (attention, residual,
     * LayerNorm, GELU feed-forward, residual, LayerNorm), then a per-token linear head over the 10 digits.
     */
    static final class TinyEncoder extends Module {
        final Embedding tokens;
        final Embedding positions;
        final ModuleList<Block> blocks;
        final Linear head;

        TinyEncoder(int dim, int heads, int layers, SplittableRandom init) {
            tokens = registerModule("tokens", new Embedding(DIGITS, dim, -1, init, 0.5f));
            positions = registerModule("positions", new Embedding(LENGTH, dim, -1, init, 0.5f));
            blocks = registerModule("blocks", new ModuleList<>());
            for (int i = 0; i < layers; i++) blocks.add(new Block(dim, heads, init));
            head = registerModule("head", new Linear(dim, DIGITS, true, init, 0.1f));
        }

        /** ids [B * LENGTH] -> logits [B * LENGTH, 10] */
        Tensor forward(int[] ids, int batch) {
            int[] pos = new int[LENGTH];
            for (int i = 0; i < LENGTH; i++) pos[i] = i;
            Tensor x = tokens.forward(ids, batch, LENGTH).add(positions.forward(pos, LENGTH)); // [B, T, D]
            for (Block b : blocks.items()) x = b.forward(x);
            return head.forward(x).reshape(batch * LENGTH, DIGITS);
        }
    }

    /** One transformer layer; heads live side by side in the [B, T, D] projections (see AttentionProducts). */
    static final class Block extends Module {
        final Linear query;
        final Linear key;
        final Linear value;
        final Linear output;
        final LayerNorm norm1;
        final Linear up;
        final Linear down;
        final LayerNorm norm2;
        final int heads;
        final float scale;

        Block(int dim, int heads, SplittableRandom init) {
            float std = (float) (1 / Math.sqrt(dim));
            query = registerModule("query", new Linear(dim, dim, true, init, std));
            key = registerModule("key", new Linear(dim, dim, true, init, std));
            value = registerModule("value", new Linear(dim, dim, true, init, std));
            output = registerModule("output", new Linear(dim, dim, true, init, std));
            norm1 = registerModule("norm1", new LayerNorm(dim, 1e-5f));
            up = registerModule("up", new Linear(dim, 4 * dim, true, init, std));
            down = registerModule("down", new Linear(4 * dim, dim, true, init, (float) (1 / Math.sqrt(4 * dim))));
            norm2 = registerModule("norm2", new LayerNorm(dim, 1e-5f));
            this.heads = heads;
            this.scale = (float) (1 / Math.sqrt(dim / (double) heads));
        }

        /** x [B, T, D] -> [B, T, D] */
        Tensor forward(Tensor x) {
            Tensor scores = AttentionProducts.scores(query.forward(x), key.forward(x), heads); // [B, heads, T, T]
            Tensor probs = Softmax.softmax(scores, null, scale);                                // rows sum to 1
            Tensor context = AttentionProducts.context(probs, value.forward(x), heads);         // [B, T, D]
            Tensor h = norm1.forward(x.add(output.forward(context)));
            return emit(norm2.forward(h.add(down.forward(up.forward(h).gelu()))));
        }
    }

    public static void main(String[] args) {
        ExampleArgs.singleThreadedUnlessSet(); // [512, 64] matrices: threads would cost more than they save
        ExampleArgs a = ExampleArgs.parse(args, "runs/examples/sort");
        run(a.quick(), System.out);
    }

    public static Result run(boolean quick, PrintStream out) {
        int maxSteps = 3000;
        double target = quick ? 0.99 : 0.999; // exact match at which training stops
        int batch = 64;
        TinyEncoder model = new TinyEncoder(64, 4, 2, new SplittableRandom(7));
        AdamW optimizer = AdamW.of(model.parameters(), 2e-3f, 0.01f);
        SplittableRandom data = new SplittableRandom(2024);
        out.printf("sort 8-digit strings: transformer 2 layers x 4 heads, dim 64, %,d parameters, up to %d steps of %d%n",
                model.parameterCount(), maxSteps, batch);
        double first = Double.NaN;
        double last = Double.NaN;
        double exact = 0;
        int step = 0;
        long t0 = System.nanoTime();
        while (step < maxSteps) {
            step++;
            int[][] ex = examples(batch, data);
            try (TensorScope scope = TensorScope.open()) {
                Tensor loss = Losses.crossEntropy(model.forward(ex[0], batch), ex[1], -100);
                loss.backward();
                optimizer.step();
                optimizer.zeroGrad();
                last = loss.item();
                if (step == 1) first = last;
            }
            if (step % 250 == 0) {
                exact = exactMatch(model, 2000, new SplittableRandom(99));
                out.printf(Locale.ROOT, "step %5d  loss %.4f  exact match %.2f%%%n", step, last, 100 * exact);
                if (exact >= target) break;
            }
        }
        exact = exactMatch(model, 2000, new SplittableRandom(99));
        out.printf(Locale.ROOT, "loss %.4f -> %.4f after %d steps; exact match on 2000 unseen strings: %.2f%% (%.1f s)%n",
                first, last, step, 100 * exact, (System.nanoTime() - t0) / 1e9);
        showOne(model, out);
        return new Result(first, last, exact, step);
    }

    /** {inputs [B * T], targets [B * T]}: random digits and the same digits sorted. */
    static int[][] examples(int batch, SplittableRandom random) {
        int[] ids = new int[batch * LENGTH];
        int[] targets = new int[batch * LENGTH];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < LENGTH; i++) ids[b * LENGTH + i] = random.nextInt(DIGITS);
            int[] sorted = Arrays.copyOfRange(ids, b * LENGTH, (b + 1) * LENGTH);
            Arrays.sort(sorted);
            System.arraycopy(sorted, 0, targets, b * LENGTH, LENGTH);
        }
        return new int[][]{ids, targets};
    }

    /** Fraction of strings with every position right. */
    static double exactMatch(TinyEncoder model, int n, SplittableRandom random) {
        int[][] ex = examples(n, random);
        int[] predicted = predict(model, ex[0], n);
        int correct = 0;
        for (int b = 0; b < n; b++) {
            boolean all = true;
            for (int i = 0; i < LENGTH; i++) all &= predicted[b * LENGTH + i] == ex[1][b * LENGTH + i];
            if (all) correct++;
        }
        return correct / (double) n;
    }

    static int[] predict(TinyEncoder model, int[] ids, int n) {
        try (GradMode off = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            float[] logits = model.forward(ids, n).toFloatArray();
            int[] out = new int[n * LENGTH];
            for (int r = 0; r < out.length; r++) {
                int best = 0;
                for (int d = 1; d < DIGITS; d++) if (logits[r * DIGITS + d] > logits[r * DIGITS + best]) best = d;
                out[r] = best;
            }
            return out;
        }
    }

    private static void showOne(TinyEncoder model, PrintStream out) {
        int[][] ex = examples(1, new SplittableRandom(5));
        int[] p = predict(model, ex[0], 1);
        StringBuilder in = new StringBuilder();
        StringBuilder pr = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            in.append(ex[0][i]);
            pr.append(p[i]);
        }
        out.println("example: " + in + " -> " + pr);
    }
}
