package io.elektron.core;

import io.elektron.core.autograd.GradCheck;
import io.elektron.core.ops.Activations;
import io.elektron.core.ops.Arithmetic;
import io.elektron.core.ops.AttentionProducts;
import io.elektron.core.ops.DropoutOp;
import io.elektron.core.ops.EmbeddingLookup;
import io.elektron.core.ops.LayerNormalization;
import io.elektron.core.ops.Losses;
import io.elektron.core.ops.MatMul;
import io.elektron.core.ops.Reductions;
import io.elektron.core.ops.ShapeOps;
import io.elektron.core.ops.Softmax;
import org.junit.jupiter.api.Test;

/** Every op's backward against central finite differences (GradCheck). */
class OpGradientTest {
    private static Tensor rand(long seed, int... shape) {
        return Tensor.randn(seed, 1f, shape);
    }

    @Test
    void matmulAllTransposeCombinations() {
        GradCheck.check("matmul", in -> MatMul.matmul(in[0], in[1], false, false), rand(1, 2, 3, 4), rand(2, 4, 5)).assertPassed();
        GradCheck.check("matmul tB", in -> MatMul.matmul(in[0], in[1], false, true), rand(3, 3, 4), rand(4, 5, 4)).assertPassed();
        GradCheck.check("matmul tA", in -> MatMul.matmul(in[0], in[1], true, false), rand(5, 4, 3), rand(6, 4, 5)).assertPassed();
        GradCheck.check("matmul tAtB", in -> MatMul.matmul(in[0], in[1], true, true), rand(7, 4, 3), rand(8, 5, 4)).assertPassed();
    }

    @Test
    void batchedMatmulAllTransposeCombinations() {
        for (int flags = 0; flags < 4; flags++) {
            boolean ta = (flags & 1) != 0;
            boolean tb = (flags & 2) != 0;
            Tensor a = ta ? rand(10 + flags, 2, 4, 3) : rand(10 + flags, 2, 3, 4);
            Tensor b = tb ? rand(20 + flags, 2, 5, 4) : rand(20 + flags, 2, 4, 5);
            GradCheck.check("bmm " + flags, in -> MatMul.batchedMatmul(in[0], in[1], ta, tb), a, b).assertPassed();
        }
    }

    @Test
    void linearWithAndWithoutBias() {
        GradCheck.check("linear", in -> MatMul.linear(in[0], in[1], in[2]), rand(1, 2, 3, 4), rand(2, 5, 4), rand(3, 5)).assertPassed();
        GradCheck.check("linear no bias", in -> MatMul.linear(in[0], in[1], null), rand(4, 3, 4), rand(5, 2, 4)).assertPassed();
    }

    @Test
    void broadcastArithmetic() {
        GradCheck.check("add same", in -> Arithmetic.add(in[0], in[1]), rand(1, 2, 3), rand(2, 2, 3)).assertPassed();
        GradCheck.check("add bias", in -> Arithmetic.add(in[0], in[1]), rand(3, 2, 3, 4), rand(4, 4)).assertPassed();
        GradCheck.check("add middle", in -> Arithmetic.add(in[0], in[1]), rand(5, 2, 3, 4), rand(6, 2, 1, 4)).assertPassed();
        GradCheck.check("sub", in -> Arithmetic.sub(in[0], in[1]), rand(7, 3, 4), rand(8, 1, 4)).assertPassed();
        GradCheck.check("mul", in -> Arithmetic.mul(in[0], in[1]), rand(9, 2, 3, 4), rand(10, 3, 1)).assertPassed();
        GradCheck.check("mul both broadcast", in -> Arithmetic.mul(in[0], in[1]), rand(11, 3, 1), rand(12, 1, 4)).assertPassed();
        GradCheck.check("scale", in -> Arithmetic.scale(in[0], -2.5f), rand(13, 3, 4)).assertPassed();
    }

    @Test
    void activations() {
        GradCheck.check("gelu", in -> Activations.gelu(in[0]), Tensor.randn(1, 2f, 4, 8)).assertPassed();
        GradCheck.check("tanh", in -> Activations.tanh(in[0]), rand(2, 4, 8)).assertPassed();
    }

    @Test
    void softmaxPlainAndMaskedAndScaled() {
        GradCheck.check("softmax", in -> Softmax.softmax(in[0]), rand(1, 3, 5)).assertPassed();
        Tensor mask = Tensor.of(new float[]{0, 0, 0, -10000f, 0, 0, -10000f, -10000f}, 2, 4);
        GradCheck.check("masked softmax", in -> Softmax.softmax(in[0], mask, 0.5f), rand(2, 2, 3, 4, 4)).assertPassed();
    }

    @Test
    void layerNormAllInputs() {
        Tensor w = Tensor.randn(3, 0.5f, 6).add(Tensor.full(1f, 6)).detach();
        Tensor b = rand(4, 6);
        GradCheck.check("layerNorm", in -> LayerNormalization.layerNorm(in[0], in[1], in[2], 1e-5f), rand(5, 2, 3, 6), w, b).assertPassed();
    }

    @Test
    void dropoutWithFixedSeed() {
        GradCheck.check("dropout", in -> DropoutOp.dropout(in[0], 0.3f, 1234L), rand(1, 4, 16)).assertPassed();
    }

    @Test
    void embeddingLookupWithRepeats() {
        // No padding row here: padding_idx blocks a gradient the forward does depend on (by design, as in PyTorch),
        // so finite differences would disagree there; OpForwardTest checks that blocking.
        int[] ids = {1, 3, 3, 0, 2, 1};
        GradCheck.check("embedding", in -> EmbeddingLookup.lookup(in[0], ids, new int[]{2, 3}, -1), rand(1, 5, 4)).assertPassed();
    }

    @Test
    void lossesWithAndWithoutPosWeight() {
        Tensor targets = Tensor.of(new float[]{1, 0, 1, 0, 0, 1}, 2, 3);
        Tensor posWeight = Tensor.of(new float[]{2f, 0.5f, 3f}, 3);
        GradCheck.check("bce", in -> Losses.bceWithLogits(in[0], targets, null), Tensor.randn(1, 2f, 2, 3)).assertPassed();
        GradCheck.check("bce pos_weight", in -> Losses.bceWithLogits(in[0], targets, posWeight), Tensor.randn(2, 2f, 2, 3)).assertPassed();
        GradCheck.check("cross-entropy", in -> Losses.crossEntropy(in[0], new int[]{2, -100, 0}, -100), rand(3, 3, 4)).assertPassed();
    }

    @Test
    void reductionsAndShapeOps() {
        GradCheck.check("sum", in -> Reductions.sum(in[0]), rand(1, 3, 4)).assertPassed();
        GradCheck.check("mean", in -> Reductions.mean(in[0]), rand(2, 3, 4)).assertPassed();
        GradCheck.check("reshape", in -> ShapeOps.reshape(in[0], 4, -1).gelu(), rand(3, 2, 3, 2)).assertPassed();
        GradCheck.check("transpose", in -> ShapeOps.transpose(in[0], 0, 2), rand(4, 2, 3, 4)).assertPassed();
        GradCheck.check("transpose middle", in -> ShapeOps.transpose(in[0], 1, 2), rand(5, 2, 3, 4)).assertPassed();
        GradCheck.check("slice", in -> ShapeOps.slice(in[0], 1, 1, 3), rand(6, 2, 4, 3)).assertPassed();
        GradCheck.check("concat", in -> ShapeOps.concat(1, in[0], in[1]), rand(7, 2, 2, 3), rand(8, 2, 1, 3)).assertPassed();
    }

    @Test
    void attentionProductsThroughLeadingDimensions() {
        int heads = 2;
        GradCheck.check("attention scores", in -> AttentionProducts.scores(in[0], in[1], heads), rand(1, 2, 3, 4), rand(2, 2, 3, 4)).assertPassed();
        GradCheck.check("attention context", in -> AttentionProducts.context(in[0], in[1], heads), rand(3, 2, 2, 3, 3), rand(4, 2, 3, 4)).assertPassed();
    }
}
