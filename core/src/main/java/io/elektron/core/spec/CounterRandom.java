package io.elektron.core.spec;

/**
 * A counter-based generator: the i-th draw of a stream is a pure function of (seed, i), so dropout masks are
 * reproducible for a seed and can be filled in parallel in any order (PyTorch spends about a quarter of ELECTRA's
 * training forward drawing masks sequentially).
 *
 * <p>Draws use 32-bit integer arithmetic only (a Weyl sequence over the counter, keyed by two words derived from the
 * seed, through MurmurHash3's fmix32 finaliser), so the SIMD kernel computes the very same bits as the scalar loop
 * with 32-bit lanes, which every x86-64 vector unit multiplies natively (64-bit lane multiplies need AVX-512DQ).
 *
 * <p>A device-neutral specification: the dropout bits the {@link io.elektron.core.Backend} contract promises are these,
 * so every backend draws the same masks for a seed and a run can move between devices without changing what it trains.
 */
public final class CounterRandom {
    public static final int WEYL = 0x9E3779B9;

    private CounterRandom() {
    }

    /** SplitMix64's finaliser applied to seed + golden-ratio-spaced counter: 64 well-mixed bits. */
    public static long mix(long seed, long counter) {
        long z = seed + (counter + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The two 32-bit keys of a stream: {low, high} words of mix(seed, 0). */
    public static int[] keys(long seed) {
        long m = mix(seed, 0);
        return new int[]{(int) m, (int) (m >>> 32)};
    }

    /**
     * Dropout's rule: element i is kept when the top 24 bits of its draw, {@code draw >>> 8}, are at least this
     * threshold (ceil(p * 2^24)), so it is dropped with probability p, with no float conversion per element.
     */
    public static int keepThreshold(float p) {
        return (int) Math.ceil(p * (1 << 24));
    }

    /** The i-th 32-bit draw of the stream with these keys. */
    public static int draw(int key0, int key1, int i) {
        return fmix32((i * WEYL + key0) ^ key1);
    }

    /** MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit over the output. */
    public static int fmix32(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }
}
