package io.elektron.core.autograd;

import io.elektron.core.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records ops and runs the backward pass: a reverse topological walk from the loss that calls each node's closure
 * with the gradient of its output, the way micrograd does, with gradients accumulating into {@code grad}.
 */
public final class Autograd {
    private Autograd() {
    }

    /** True when an op over these inputs must record a node: grad mode on and some input needs a gradient. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) return true;
        }
        return false;
    }

    /** Attaches the node that produced {@code output} (a no-op when no input needs a gradient). */
    public static Tensor record(Tensor output, String op, Tensor[] inputs, Node.Backward backward) {
        if (needsGrad(inputs)) output.attachNode(new Node(op, inputs, backward));
        return output;
    }

    /** Told how long each node's backward took, as the walk runs it: the hook a profiler needs. */
    public interface BackwardListener {
        /** {@code output} is the tensor whose node just ran. */
        void nodeRan(Tensor output, Node node, long nanos);
    }

    /** Backward from {@code root} with the given seed gradient (same shape as root). */
    public static void backward(Tensor root, Tensor seed) {
        backward(root, seed, null);
    }

    /** The same walk, reporting every node's backward time to {@code listener} (null: no timing at all). */
    public static void backward(Tensor root, Tensor seed, BackwardListener listener) {
        List<Tensor> order = topologicalOrder(root);
        root.accumulateGrad(seed);
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Node node = t.node();
            if (node == null) continue;
            Tensor g = t.grad();
            if (g != null && listener == null) {
                node.runBackward(g);
            } else if (g != null) {
                long start = System.nanoTime();
                node.runBackward(g);
                listener.nodeRan(t, node, System.nanoTime() - start);
            }
            // The graph is freed as it is consumed: an intermediate's gradient is not needed once passed on.
            t.releaseGraph();
        }
    }

    /** Tensors reachable from root through nodes, each after all of its inputs. */
    static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        // Iterative DFS (a recursive one overflows the stack on long graphs): frames of (tensor, next input index).
        Deque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.node() == null ? new Tensor[0] : t.node().inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[]{in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return Collections.unmodifiableList(order);
    }
}
