package io.elektron.bench;

/**
 * One line of a per-op profile: the time per step of one kind of op, summed over the layers.
 *
 * @param section       what ran, e.g. "attention: softmax(scale, mask)"
 * @param callsPerStep  how many times per step (12 layers: 12; Q, K and V: 36)
 * @param forwardMs     forward time per step
 * @param backwardMs    backward time per step (gradient buffers are allocated inside, as in a real step)
 * @param percentOfStep share of the whole instrumented step
 * @param gflops        achieved GFLOP/s of the forward + backward for GEMM sections, NaN for the others
 */
public record ProfileRow(String section, int callsPerStep, double forwardMs, double backwardMs, double percentOfStep,
                         double gflops) {
    public double totalMs() {
        return forwardMs + backwardMs;
    }
}
