package io.elektron.core;

import io.elektron.core.ops.EmbeddingLookup;
import io.elektron.core.ops.Losses;
import io.elektron.core.ops.MatMul;
import io.elektron.core.ops.ShapeOps;
import io.elektron.core.ops.Softmax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad shapes and indices fail in Java with expected-vs-got messages, before any native call. */
class ShapeErrorTest {
    private static void fails(String mustContain, Executable e) {
        RuntimeException ex = (RuntimeException) assertThrows(RuntimeException.class, e);
        assertTrue(ex.getMessage().contains(mustContain), "message '" + ex.getMessage() + "' lacks '" + mustContain + "'");
    }

    @Test
    void messagesSayWhatWasExpected() {
        Tensor a = Tensor.zeros(2, 3);
        fails("inner dimensions differ", () -> MatMul.matmul(a, Tensor.zeros(4, 5), false, false));
        fails("[2, 3]", () -> MatMul.matmul(a, Tensor.zeros(4, 5), false, false));
        fails("do not broadcast", () -> a.add(Tensor.zeros(4)));
        fails("outside the vocabulary [0, 3)", () -> EmbeddingLookup.lookup(Tensor.zeros(3, 2), new int[]{1, 3}, new int[]{2}, -1));
        fails("outside the vocabulary", () -> EmbeddingLookup.lookup(Tensor.zeros(3, 2), new int[]{-1}, new int[]{1}, -1));
        fails("expected equal shapes", () -> Losses.bceWithLogits(Tensor.zeros(2, 3), Tensor.zeros(2, 4), null));
        fails("pos_weight", () -> Losses.bceWithLogits(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2)));
        fails("outside [0, 3)", () -> Losses.crossEntropy(Tensor.zeros(1, 3), new int[]{5}, -100));
        fails("should be [B, Tk]", () -> Softmax.softmax(Tensor.zeros(2, 2, 3), Tensor.zeros(2, 4), 1f));
        fails("cannot become", () -> a.reshape(4, 2));
        fails("out of bounds", () -> ShapeOps.slice(a, 1, 2, 5));
        fails("negative dimension", () -> Tensor.zeros(2, -1));
        fails("holds 6 values, got 5", () -> Tensor.of(new float[5], 2, 3));
        fails("linear: input [2, 3] has 3 features", () -> MatMul.linear(a, Tensor.zeros(4, 5), null));
    }
}
