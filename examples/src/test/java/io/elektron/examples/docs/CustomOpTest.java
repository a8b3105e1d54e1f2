package io.elektron.examples.docs;

import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;
import io.elektron.core.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The snippets of docs/internals/03-gradient-check.md: a custom op and its gradient check. */
class CustomOpTest {
    /** softplus(x) = ln(1 + e^x), elementwise. Its derivative is the logistic sigmoid. */
    static Tensor softplus(Tensor x) {
        float[] in = x.toFloatArray();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) out[i] = (float) Math.log1p(Math.exp(in[i]));
        Tensor y = Tensor.of(out, x.shape());
        return Autograd.record(y, "softplus", new Tensor[]{x}, gy -> {
            float[] g = gy.toFloatArray();          // dL/dy, one value per output element
            float[] dx = new float[in.length];
            for (int i = 0; i < in.length; i++) dx[i] = g[i] * (float) (1 / (1 + Math.exp(-in[i]))); // chain rule
            x.accumulateGrad(Tensor.of(dx, x.shape())); // += : x may feed other ops too
        });
    }

    /** The same op with a classic bug: the local derivative without the incoming gradient. */
    static Tensor softplusForgettingTheChainRule(Tensor x) {
        float[] in = x.toFloatArray();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) out[i] = (float) Math.log1p(Math.exp(in[i]));
        return Autograd.record(Tensor.of(out, x.shape()), "softplus (buggy)", new Tensor[]{x}, gy -> {
            float[] dx = new float[in.length];
            for (int i = 0; i < in.length; i++) dx[i] = (float) (1 / (1 + Math.exp(-in[i])));
            x.accumulateGrad(Tensor.of(dx, x.shape()));
        });
    }

    @Test
    void checkYourOwnOp() {
        GradCheck.Report report = GradCheck.check("softplus", in -> softplus(in[0]), Tensor.randn(1, 2f, 4, 5));
        report.assertPassed();                      // throws AssertionError naming the first bad element

        GradCheck.Report buggy = GradCheck.check("buggy", in -> softplusForgettingTheChainRule(in[0]), Tensor.randn(1, 2f, 4, 5));
        assertFalse(buggy.passed());
        System.out.println(buggy.firstFailure());   // input 0 element ...: analytic ... vs numeric ...
    }

    @Test
    void insideABiggerExpression() {
        // Two inputs, the op composed with built-in ops: every input's gradient is checked.
        GradCheck.check("softplus(a) * b + a", in -> softplus(in[0]).mul(in[1]).add(in[0]),
                Tensor.randn(2, 1f, 3, 4), Tensor.randn(3, 1f, 3, 4)).assertPassed();

        // Your own settings: step h, atol, rtol, and how many elements per input to check (here: all of them).
        GradCheck strict = new GradCheck(1e-2, 5e-4, 1e-3, 1000);
        GradCheck.Report r = strict.run("softplus strict", in -> softplus(in[0]), Tensor.randn(4, 1f, 8));
        assertTrue(r.passed(), r.toString());
    }
}
