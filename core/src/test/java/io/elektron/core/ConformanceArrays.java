package io.elektron.core;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Host arrays to and from a backend, and the float32-rounding comparison the kernel conformance suites use. */
final class ConformanceArrays {
    private ConformanceArrays() {
    }

    /** n uniform values in [-scale, scale). */
    static float[] random(SplittableRandom r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        return x;
    }

    static Storage upload(Backend b, float[] values) {
        Storage s = b.allocate(values.length);
        b.upload(values, 0, s, 0, values.length);
        return s;
    }

    static float[] read(Backend b, Storage s, int n) {
        float[] out = new float[n];
        b.download(s, 0, out, 0, n);
        return out;
    }

    static float[] plus(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i] + b[i];
        return out;
    }

    /** |actual - expected| <= atol + rtol * |expected| everywhere, naming the first element that is not. */
    static void assertClose(String kernel, float[] expected, float[] actual, double rtol, double atol) {
        assertEquals(expected.length, actual.length, kernel + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
                fail(kernel + ": element " + i + " is " + actual[i] + ", the reference says " + expected[i]);
            }
        }
    }
}
