package io.elektron.bench;

import io.elektron.core.Backend;
import io.elektron.core.Storage;
import io.elektron.core.Tensor;

import java.util.SplittableRandom;

/**
 * Seeded random inputs for benchmarks, written in chunks through {@link Backend#upload} (one bulk copy per chunk, never
 * one native call per element). Everything returned here is unscoped: the benchmark that asked for it closes it.
 */
public final class RandomData {
    private static final int CHUNK = 1 << 20;

    private RandomData() {
    }

    /** Uniform values in [-scale, scale). */
    public static Storage uniform(Backend backend, long n, long seed, float scale) {
        Storage s = backend.allocate(n);
        SplittableRandom random = new SplittableRandom(seed);
        float[] chunk = new float[(int) Math.min(CHUNK, Math.max(1, n))];
        for (long done = 0; done < n; done += chunk.length) {
            int len = (int) Math.min(chunk.length, n - done);
            for (int i = 0; i < len; i++) chunk[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
            backend.upload(chunk, 0, s, done, len);
        }
        return s;
    }

    /** An unscoped tensor of uniform values in [-scale, scale). */
    public static Tensor tensor(long seed, float scale, int... shape) {
        Backend backend = Tensor.defaultBackend();
        Tensor t = Tensor.zerosUnscoped(backend, shape);
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(t.numel())];
        for (int i = 0; i < values.length; i++) values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        t.copyFrom(values);
        return t;
    }

    /** Token ids in [1, vocab): random text without padding (id 0 is [PAD] in ELECTRA's vocabulary). */
    public static int[] ids(int n, int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = 1 + random.nextInt(vocab - 1);
        return ids;
    }

    /** Multi-label targets: each label on with probability {@code p}. */
    public static float[] targets(int n, float p, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) t[i] = random.nextDouble() < p ? 1f : 0f;
        return t;
    }
}
