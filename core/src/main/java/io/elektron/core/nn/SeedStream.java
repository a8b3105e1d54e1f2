package io.elektron.core.nn;

/**
 * A reproducible sequence of seeds for stochastic layers: each dropout call takes the next seed, so a run with the
 * same starting seed and the same sequence of calls draws the same masks. The position can be saved and restored
 * (resuming a run mid-way continues the same sequence).
 */
public final class SeedStream {
    private long seed;
    private long position;

    public SeedStream(long seed) {
        reset(seed);
    }

    public void reset(long seed) {
        this.seed = seed;
        this.position = 0;
    }

    public long nextSeed() {
        long z = seed + (++position) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long seed() {
        return seed;
    }

    public long position() {
        return position;
    }

    public void restore(long seed, long position) {
        this.seed = seed;
        this.position = position;
    }
}
