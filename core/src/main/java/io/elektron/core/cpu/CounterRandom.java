package io.elektron.core.cpu;

/**
 * A counter-based generator: the i-th draw of a stream is a pure function of (seed, i), so dropout masks are
 * reproducible for a seed and can be filled in parallel in any order (PyTorch spends about a quarter of ELECTRA's
 * training forward drawing masks sequentially).
 */
final class CounterRandom {
    private CounterRandom() {
    }

    /** SplitMix64's finaliser applied to seed + golden-ratio-spaced counter: 64 well-mixed bits. */
    static long mix(long seed, long counter) {
        long z = seed + (counter + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
