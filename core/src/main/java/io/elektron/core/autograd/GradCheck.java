package io.elektron.core.autograd;

import io.elektron.core.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Finite-difference gradient check for any op, including one you wrote yourself.
 *
 * <p>The op's output y is reduced to L = sum_i w_i y_i with fixed random weights w (so every output element matters)
 * and L is accumulated in double. The analytic gradient comes from one backward pass seeded with w; the numerical one
 * from central differences (L(x + h) - L(x - h)) / 2h per checked input element. An element passes when
 * |analytic - numeric| &lt;= atol + rtol * |numeric|.
 *
 * <pre>{@code
 * GradCheck.Report r = GradCheck.check("gelu", in -> in[0].gelu(), Tensor.randn(1, 1f, 3, 4));
 * r.assertPassed();
 * }</pre>
 *
 * <p><b>Checking an op you wrote.</b> An op computes its output and records, with
 * {@link Autograd#record(Tensor, String, Tensor[], Node.Backward)}, a closure that receives dL/d(output) and ADDS
 * dL/d(input) into each input ({@code x.accumulateGrad(...)}). Hand the check a function of the inputs that calls it:
 *
 * <pre>{@code
 * static Tensor softplus(Tensor x) {                      // ln(1 + e^x); derivative: sigmoid(x)
 *     float[] in = x.toFloatArray();
 *     float[] out = new float[in.length];
 *     for (int i = 0; i < in.length; i++) out[i] = (float) Math.log1p(Math.exp(in[i]));
 *     return Autograd.record(Tensor.of(out, x.shape()), "softplus", new Tensor[]{x}, gy -> {
 *         float[] g = gy.toFloatArray();
 *         float[] dx = new float[in.length];
 *         for (int i = 0; i < in.length; i++) dx[i] = g[i] * (float) (1 / (1 + Math.exp(-in[i])));
 *         x.accumulateGrad(Tensor.of(dx, x.shape()));
 *     });
 * }
 *
 * GradCheck.check("softplus", in -> softplus(in[0]), Tensor.randn(1, 2f, 4, 5)).assertPassed();
 * new GradCheck(1e-2, 5e-4, 1e-3, 1000).run("strict", in -> softplus(in[0]), Tensor.randn(2, 1f, 8)); // own tolerances
 * }</pre>
 *
 * Every input passed is marked {@code requiresGrad} and has its gradient zeroed first. A failing {@link Report} names
 * the first element that disagrees ({@link Report#firstFailure()}). Keep inputs away from kinks (ReLU at 0) and fix
 * the seed of anything random inside {@code f}. The guided tour's chapter on gradient checks
 * ({@code docs/internals/03-gradient-check.md}) walks through this, including a buggy backward the check catches.
 */
public final class GradCheck {
    private final double step;
    private final double atol;
    private final double rtol;
    private final int maxChecksPerInput;

    /** Result of a check: worst errors seen and the first failing element, if any. */
    public record Report(String op, int checked, double maxAbsError, double maxRelError, String firstFailure) {
        public boolean passed() {
            return firstFailure == null;
        }

        public void assertPassed() {
            if (!passed()) throw new AssertionError("gradient check failed for " + op + ": " + firstFailure + " (" + this + ")");
        }
    }

    public GradCheck(double step, double atol, double rtol, int maxChecksPerInput) {
        this.step = step;
        this.atol = atol;
        this.rtol = rtol;
        this.maxChecksPerInput = maxChecksPerInput;
    }

    /** Defaults for float32 ops on inputs of order 1: h = 1e-2, atol = 2e-3, rtol = 1e-2, up to 64 elements per input. */
    public static Report check(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        return new GradCheck(1e-2, 2e-3, 1e-2, 64).run(op, f, inputs);
    }

    public Report run(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.requiresGrad(true);
            t.zeroGrad();
        }
        Tensor y = f.apply(inputs);
        SplittableRandom random = new SplittableRandom(42);
        float[] weights = new float[Math.toIntExact(y.numel())];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) (random.nextDouble() * 2 - 1);
        Tensor seed = Tensor.of(weights, y.shape());
        y.backward(seed);

        int checked = 0;
        double maxAbs = 0;
        double maxRel = 0;
        String failure = null;
        for (int t = 0; t < inputs.length; t++) {
            Tensor x = inputs[t];
            float[] analytic = x.grad() == null ? new float[(int) x.numel()] : x.grad().toFloatArray();
            float[] values = x.toFloatArray();
            int[] positions = positions(values.length, random);
            for (int i : positions) {
                float original = values[i];
                values[i] = (float) (original + step);
                x.copyFrom(values);
                double plus = weighted(f, inputs, weights);
                values[i] = (float) (original - step);
                x.copyFrom(values);
                double minus = weighted(f, inputs, weights);
                values[i] = original;
                x.copyFrom(values);
                // Divide by the step actually taken in float32, not the nominal one.
                double taken = (double) (float) (original + step) - (double) (float) (original - step);
                double numeric = (plus - minus) / taken;
                double abs = Math.abs(analytic[i] - numeric);
                double rel = abs / Math.max(1e-12, Math.abs(numeric));
                maxAbs = Math.max(maxAbs, abs);
                if (Math.abs(numeric) > atol) maxRel = Math.max(maxRel, rel);
                checked++;
                if (failure == null && abs > atol + rtol * Math.abs(numeric)) {
                    failure = "input " + t + " element " + i + ": analytic " + analytic[i] + " vs numeric " + numeric;
                }
            }
        }
        return new Report(op, checked, maxAbs, maxRel, failure);
    }

    private int[] positions(int n, SplittableRandom random) {
        if (n <= maxChecksPerInput) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        return random.ints(maxChecksPerInput, 0, n).toArray();
    }

    private static double weighted(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] weights) {
        try (GradMode off = GradMode.disabled()) {
            float[] y = f.apply(inputs).toFloatArray();
            double sum = 0;
            for (int i = 0; i < y.length; i++) sum += (double) weights[i] * y[i];
            return sum;
        }
    }
}
