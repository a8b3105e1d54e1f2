package io.elektron.examples;

import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.ops.Losses;
import io.elektron.core.ops.MatMul;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Example 1 — autograd by hand. A two-hidden-layer MLP learns the two-spirals problem with nothing but tensors that
 * require gradients, three ops ({@code linear}, {@code tanh}, {@code bceWithLogits}), {@code loss.backward()} and an
 * Adam update written out in ten lines. No Module, no optimizer class: every number that changes is visible here.
 * Writes {@code two-spirals.png}, the learned decision boundary with the training points.
 *
 * <pre>{@code ./examples/run two-spirals [--quick] [--out DIR]}</pre>
 */
public final class TwoSpirals {
    private static final int HIDDEN = 64;
    private static final int POINTS_PER_CLASS = 200;

    /** What the run reached. */
    public record Result(double firstLoss, double lastLoss, double accuracy, Path png) {
    }

    public static void main(String[] args) throws IOException {
        ExampleArgs.singleThreadedUnlessSet(); // 400 x 64 matrices: threads would cost more than they save
        ExampleArgs a = ExampleArgs.parse(args, "runs/examples/two-spirals");
        run(a.quick(), a.out(), System.out);
    }

    public static Result run(boolean quick, Path outDir, PrintStream out) throws IOException {
        int steps = quick ? 1500 : 3000;
        float[][] data = spirals(POINTS_PER_CLASS, new SplittableRandom(1));
        Tensor x = Tensor.of(data[0], 2 * POINTS_PER_CLASS, 2); // [N, 2]
        Tensor y = Tensor.of(data[1], 2 * POINTS_PER_CLASS, 1); // [N, 1], 0 or 1

        // The parameters: plain tensors that require a gradient. Weights are [out, in] (PyTorch's layout).
        List<Tensor> params = List.of(
                Tensor.randn(11, (float) Math.sqrt(1.0 / 2), HIDDEN, 2).requiresGrad(true),      // w1
                Tensor.zeros(HIDDEN).requiresGrad(true),                                           // b1
                Tensor.randn(12, (float) Math.sqrt(1.0 / HIDDEN), HIDDEN, HIDDEN).requiresGrad(true), // w2
                Tensor.zeros(HIDDEN).requiresGrad(true),                                           // b2
                Tensor.randn(13, (float) Math.sqrt(1.0 / HIDDEN), 1, HIDDEN).requiresGrad(true),  // w3
                Tensor.zeros(1).requiresGrad(true));                                               // b3
        Adam adam = new Adam(params, 0.01f);

        out.printf("two spirals: %d points, MLP 2-%d-%d-1 (tanh), %d full-batch Adam steps%n", 2 * POINTS_PER_CLASS,
                HIDDEN, HIDDEN, steps);
        double first = Double.NaN;
        double last = Double.NaN;
        long t0 = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            try (TensorScope scope = TensorScope.open()) { // activations and their gradients die here each step
                Tensor loss = Losses.bceWithLogits(forward(params, x), y, null);
                loss.backward(); // fills params.get(i).grad()
                adam.step();
                last = loss.item();
                if (step == 1) first = last;
                if (step == 1 || step % (steps / 5) == 0) out.printf(Locale.ROOT, "step %5d  loss %.4f%n", step, last);
            }
        }
        double accuracy = accuracy(params, x, data[1]);
        out.printf(Locale.ROOT, "loss %.4f -> %.4f, training accuracy %.1f%% (%.1f s)%n", first, last, 100 * accuracy,
                (System.nanoTime() - t0) / 1e9);
        Path png = outDir.resolve("two-spirals.png");
        drawBoundary(params, data, png);
        out.println("decision boundary: " + png + " (" + Files.size(png) + " bytes)");
        return new Result(first, last, accuracy, png);
    }

    /** logits [N, 1] = w3 tanh(w2 tanh(w1 x + b1) + b2) + b3 */
    static Tensor forward(List<Tensor> p, Tensor x) {
        Tensor h1 = MatMul.linear(x, p.get(0), p.get(1)).tanh();  // [N, 64]
        Tensor h2 = MatMul.linear(h1, p.get(2), p.get(3)).tanh(); // [N, 64]
        return MatMul.linear(h2, p.get(4), p.get(5));             // [N, 1]
    }

    /**
     * Adam (Kingma and Ba) by hand: m and v are running means of the gradient and its square, bias-corrected for their
     * zero start; each parameter moves by lr * m_hat / (sqrt(v_hat) + eps). Then the gradient is zeroed, because
     * backward ADDS into grad.
     */
    static final class Adam {
        private final List<Tensor> params;
        private final float lr;
        private final float[][] m;
        private final float[][] v;
        private int t;

        Adam(List<Tensor> params, float lr) {
            this.params = params;
            this.lr = lr;
            this.m = new float[params.size()][];
            this.v = new float[params.size()][];
            for (int i = 0; i < params.size(); i++) {
                m[i] = new float[(int) params.get(i).numel()];
                v[i] = new float[(int) params.get(i).numel()];
            }
        }

        void step() {
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                float[] w = p.toFloatArray();
                float[] g = p.grad().toFloatArray();
                for (int j = 0; j < w.length; j++) {
                    m[i][j] = 0.9f * m[i][j] + 0.1f * g[j];
                    v[i][j] = 0.999f * v[i][j] + 0.001f * g[j] * g[j];
                    w[j] -= (float) (lr * (m[i][j] / c1) / (Math.sqrt(v[i][j] / c2) + 1e-8));
                }
                p.copyFrom(w);
                p.zeroGrad();
            }
        }
    }

    /** Two interleaved spirals in [-1, 1]^2, 1.75 turns each, with a little noise: {x [2N], y [N]}. */
    static float[][] spirals(int perClass, SplittableRandom random) {
        float[] xs = new float[4 * perClass];
        float[] ys = new float[2 * perClass];
        for (int i = 0; i < perClass; i++) {
            double t = 0.25 + 3.5 * Math.PI * i / perClass;
            double r = t / (0.25 + 3.5 * Math.PI);
            for (int c = 0; c < 2; c++) {
                int k = 2 * i + c;
                double sign = c == 0 ? 1 : -1;
                xs[2 * k] = (float) (sign * r * Math.cos(t) + 0.02 * (random.nextDouble() - 0.5));
                xs[2 * k + 1] = (float) (sign * r * Math.sin(t) + 0.02 * (random.nextDouble() - 0.5));
                ys[k] = c;
            }
        }
        return new float[][]{xs, ys};
    }

    private static double accuracy(List<Tensor> params, Tensor x, float[] labels) {
        try (GradMode off = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            float[] logits = forward(params, x).toFloatArray();
            int correct = 0;
            for (int i = 0; i < labels.length; i++) if ((logits[i] > 0) == (labels[i] > 0.5f)) correct++;
            return correct / (double) labels.length;
        }
    }

    /** The plane coloured by the predicted class (paler near the boundary), the boundary dark, the training points on top. */
    static void drawBoundary(List<Tensor> params, float[][] data, Path png) throws IOException {
        int size = 480;
        int grid = 240; // evaluate on a 240 x 240 grid, draw each cell as 2 x 2 pixels
        float[] points = new float[grid * grid * 2];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                points[2 * (r * grid + c)] = -1.1f + 2.2f * (c + 0.5f) / grid;
                points[2 * (r * grid + c) + 1] = 1.1f - 2.2f * (r + 0.5f) / grid;
            }
        }
        float[] logits;
        try (GradMode off = GradMode.disabled(); TensorScope scope = TensorScope.open()) {
            logits = forward(params, Tensor.of(points, grid * grid, 2)).toFloatArray();
        }
        Color zero = new Color(0xff7f0e);
        Color one = new Color(0x1f77b4);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                float logit = logits[r * grid + c];
                double p = 1 / (1 + Math.exp(-logit));
                Color base = p > 0.5 ? one : zero;
                double strength = Math.abs(p - 0.5) * 2; // 0 at the boundary, 1 when sure
                // A cell whose right or lower neighbour is predicted the other class lies on the boundary.
                boolean edge = (c + 1 < grid && (logits[r * grid + c + 1] > 0) != (logit > 0))
                        || (r + 1 < grid && (logits[(r + 1) * grid + c] > 0) != (logit > 0));
                Color fill = edge ? Color.DARK_GRAY : mix(Color.WHITE, base, 0.15 + 0.3 * strength);
                g.setColor(fill);
                g.fillRect(c * size / grid, r * size / grid, size / grid, size / grid);
            }
        }
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i < data[1].length; i++) {
            double px = (data[0][2 * i] + 1.1) / 2.2 * size;
            double py = (1.1 - data[0][2 * i + 1]) / 2.2 * size;
            Ellipse2D dot = new Ellipse2D.Double(px - 3.5, py - 3.5, 7, 7);
            g.setColor(data[1][i] > 0.5f ? one : zero);
            g.fill(dot);
            g.setColor(Color.BLACK);
            g.draw(dot);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static Color mix(Color a, Color b, double f) {
        return new Color((int) (a.getRed() * (1 - f) + b.getRed() * f), (int) (a.getGreen() * (1 - f) + b.getGreen() * f),
                (int) (a.getBlue() * (1 - f) + b.getBlue() * f));
    }
}
