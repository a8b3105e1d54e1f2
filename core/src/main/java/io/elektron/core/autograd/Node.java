package io.elektron.core.autograd;

import io.elektron.core.Tensor;

/**
 * One recorded op in the define-by-run graph: its inputs and a closure that, given the gradient of the op's output,
 * accumulates ({@code +=}) gradients into those inputs that need them.
 */
public final class Node {
    private final String op;
    private final Tensor[] inputs;
    private final Backward backward;

    public Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    public String op() {
        return op;
    }

    public Tensor[] inputs() {
        return inputs;
    }

    public void runBackward(Tensor gradOutput) {
        backward.accumulate(gradOutput);
    }

    /** The backward closure of an op. */
    @FunctionalInterface
    public interface Backward {
        void accumulate(Tensor gradOutput);
    }
}
