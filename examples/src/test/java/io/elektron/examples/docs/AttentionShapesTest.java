package io.elektron.examples.docs;

import io.elektron.core.PackedSequences;
import io.elektron.core.Tensor;
import io.elektron.core.ops.AttentionProducts;
import io.elektron.core.ops.PackedAttention;
import io.elektron.core.ops.ShapeOps;
import io.elektron.core.ops.Softmax;
import org.junit.jupiter.api.Test;

import static io.elektron.examples.docs.OpGradientsTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The snippets of docs/internals/04-attention.md. */
class AttentionShapesTest {
    @Test
    void headsLiveInColumnBlocks() {
        int batch = 2, time = 5, hidden = 8, heads = 2, d = hidden / heads;
        Tensor q = Tensor.randn(1, 1f, batch, time, hidden);      // [B, T, H]; head h = columns h*d .. (h+1)*d - 1
        Tensor k = Tensor.randn(2, 1f, batch, time, hidden);
        Tensor scores = AttentionProducts.scores(q, k, heads);    // [B, heads, T, T], no [B, heads, T, d] copies
        assertArrayEquals(new int[]{batch, heads, time, time}, scores.shape());

        // The same numbers the long way: cut example 1, head 1 out as [T, d] matrices and multiply.
        Tensor q11 = ShapeOps.slice(ShapeOps.slice(q, 0, 1, 2), 2, d, 2 * d).reshape(time, d);
        Tensor k11 = ShapeOps.slice(ShapeOps.slice(k, 0, 1, 2), 2, d, 2 * d).reshape(time, d);
        Tensor s11 = ShapeOps.slice(ShapeOps.slice(scores, 0, 1, 2), 1, 1, 2).reshape(time, time);
        assertClose(q11.matmul(k11.transpose(0, 1)), s11);     // S_bh = Q_bh K_bh^T
    }

    @Test
    void theWholeAttentionProduct() {
        int batch = 1, time = 4, hidden = 6, heads = 3;
        Tensor q = Tensor.randn(1, 1f, batch, time, hidden);
        Tensor k = Tensor.randn(2, 1f, batch, time, hidden);
        Tensor v = Tensor.randn(3, 1f, batch, time, hidden);
        Tensor mask = Tensor.of(new float[]{0f, 0f, 0f, -Float.MAX_VALUE}, batch, time); // [B, T]: token 3 is padding
        float scale = (float) (1 / Math.sqrt(hidden / heads));                             // 1 / sqrt(d)

        Tensor probs = Softmax.softmax(AttentionProducts.scores(q, k, heads), mask, scale); // [B, heads, T, T]
        Tensor context = AttentionProducts.context(probs, v, heads);                       // [B, T, H], heads merged

        assertArrayEquals(new int[]{batch, time, hidden}, context.shape());
        for (int h = 0; h < heads; h++) {
            for (int query = 0; query < time; query++) assertEquals(0f, probs.get(0, h, query, 3)); // nobody attends to padding
        }
    }

    @Test
    void packedSequencesAttendToThemselvesOnly() {
        int hidden = 6, heads = 3;
        PackedSequences batch = PackedSequences.ofLengths(3, 1, 2);  // three sequences, N = 6 real tokens
        Tensor q = Tensor.randn(1, 1f, batch.tokens(), hidden);       // [N, H]: rows 0-2, 3, 4-5
        Tensor k = Tensor.randn(2, 1f, batch.tokens(), hidden);
        Tensor v = Tensor.randn(3, 1f, batch.tokens(), hidden);
        float scale = (float) (1 / Math.sqrt(hidden / heads));

        Tensor scores = PackedAttention.scores(q, k, heads, batch);   // [S], S = heads * (3*3 + 1*1 + 2*2) = 42
        Tensor probs = PackedAttention.softmax(scores, heads, batch, scale);
        Tensor context = PackedAttention.context(probs, v, heads, batch); // [N, H], no padding anywhere

        assertEquals(42, scores.numel());
        assertArrayEquals(new int[]{batch.tokens(), hidden}, context.shape());
        // The length-1 sequence attends to itself with probability 1 in every head: its context is its own value.
        for (int c = 0; c < hidden; c++) assertEquals(v.get(3, c), context.get(3, c), 1e-6f);
    }
}
