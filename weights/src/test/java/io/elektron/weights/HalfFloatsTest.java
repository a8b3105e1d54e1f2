package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    private static float f16(int bits) {
        return HalfFloats.float16ToFloat((short) bits);
    }

    private static float bf16(int bits) {
        return HalfFloats.bfloat16ToFloat((short) bits);
    }

    @Test
    void float16HandComputedValues() {
        assertEquals(1.0f, f16(0x3C00));
        assertEquals(-2.0f, f16(0xC000));
        assertEquals(0.5f, f16(0x3800));
        assertEquals(0.333251953125f, f16(0x3555)); // 1.0101010101b * 2^-2
        assertEquals(65504f, f16(0x7BFF)); // largest finite
        assertEquals(0x1p-14f, f16(0x0400)); // smallest normal
        assertEquals(0x1p-24f, f16(0x0001)); // smallest subnormal
        assertEquals(1023 * 0x1p-24f, f16(0x03FF)); // largest subnormal
        assertEquals(-0x1p-24f, f16(0x8001));
        assertEquals(Float.floatToRawIntBits(0.0f), Float.floatToRawIntBits(f16(0x0000)));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(f16(0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, f16(0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, f16(0xFC00));
        assertTrue(Float.isNaN(f16(0x7E00)));
        assertTrue(Float.isNaN(f16(0x7C01))); // signalling-style payload stays a NaN, not infinity
        assertTrue(Float.isNaN(f16(0xFE00)));
    }

    @Test
    void bfloat16HandComputedValues() {
        assertEquals(1.0f, bf16(0x3F80));
        assertEquals(-2.0f, bf16(0xC000));
        assertEquals(3.140625f, bf16(0x4049));
        assertEquals(0x1p-133f, bf16(0x0001)); // subnormal: float32 bits 0x00010000 = 2^16 * 2^-149
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(bf16(0x8000)));
        assertEquals(Float.POSITIVE_INFINITY, bf16(0x7F80));
        assertEquals(Float.NEGATIVE_INFINITY, bf16(0xFF80));
        assertTrue(Float.isNaN(bf16(0x7FC0)));
    }

    @Test
    void everyFloat16PatternMatchesTheDefinitionComputedInDouble() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            float actual = f16(bits);
            if (exponent == 0x1f) {
                assertTrue(mantissa == 0 ? Float.isInfinite(actual) : Float.isNaN(actual), Integer.toHexString(bits));
                continue;
            }
            double magnitude = exponent == 0
                    ? Math.scalb((double) mantissa, -24)
                    : Math.scalb(1.0 + mantissa / 1024.0, exponent - 15);
            double expected = sign == 1 ? -magnitude : magnitude;
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                    Integer.toHexString(bits));
        }
    }

    @Test
    void narrowingInvertsWideningForEveryFloat16AndBFloat16Pattern() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float wide = f16(bits);
            short back = HalfFloats.floatToFloat16(wide);
            if (Float.isNaN(wide)) {
                assertTrue(Float.isNaN(f16(back)), Integer.toHexString(bits));
            } else {
                assertEquals((short) bits, back, Integer.toHexString(bits));
            }
            float wideBf = bf16(bits);
            short backBf = HalfFloats.floatToBFloat16(wideBf);
            if (Float.isNaN(wideBf)) {
                assertTrue(Float.isNaN(bf16(backBf)), Integer.toHexString(bits));
            } else {
                assertEquals((short) bits, backBf, Integer.toHexString(bits));
            }
        }
    }

    @Test
    void narrowingRoundsToNearestTiesToEven() {
        assertEquals((short) 0x3C00, HalfFloats.floatToFloat16(1 + 0x1p-11f)); // tie, even is 1.0
        assertEquals((short) 0x3C02, HalfFloats.floatToFloat16(1 + 3 * 0x1p-11f)); // tie, even is 1 + 2^-9
        assertEquals((short) 0x3C01, HalfFloats.floatToFloat16(Math.nextUp(1 + 0x1p-11f)));
        assertEquals((short) 0x7BFF, HalfFloats.floatToFloat16(65519f));
        assertEquals((short) 0x7C00, HalfFloats.floatToFloat16(65520f)); // halfway to 2^16: rounds to infinity
        assertEquals((short) 0x0000, HalfFloats.floatToFloat16(0x1p-25f)); // tie between 0 and 2^-24
        assertEquals((short) 0x0001, HalfFloats.floatToFloat16(Math.nextUp(0x1p-25f)));
        assertEquals((short) 0x0002, HalfFloats.floatToFloat16(3 * 0x1p-25f)); // tie between 1 and 2 (even)
        assertEquals((short) 0x0400, HalfFloats.floatToFloat16(Math.nextDown(0x1p-14f))); // rounds up into normals
        assertEquals((short) 0x8000, HalfFloats.floatToFloat16(-1e-30f));
        assertEquals((short) 0x3F80, HalfFloats.floatToBFloat16(1 + 0x1p-8f));
        assertEquals((short) 0x3F82, HalfFloats.floatToBFloat16(1 + 3 * 0x1p-8f));
        assertEquals((short) 0x7F80, HalfFloats.floatToBFloat16(Float.MAX_VALUE));
        assertTrue(Float.isNaN(bf16(HalfFloats.floatToBFloat16(Float.intBitsToFloat(0x7F800001)))));
        assertTrue(Float.isNaN(f16(HalfFloats.floatToFloat16(Float.intBitsToFloat(0x7F800001)))));
    }

    @Test
    void narrowingToFloat16PicksTheNearestNeighbourForRandomFloats() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            // Exponents around binary16's range, including subnormals and overflow.
            float value = (float) Math.scalb(random.nextDouble(-2, 2), random.nextInt(-30, 18));
            short half = HalfFloats.floatToFloat16(value);
            double chosen = f16(half);
            if (Double.isInfinite(chosen)) {
                assertTrue(Math.abs(value) >= 65520f, Float.toString(value));
                continue;
            }
            double error = Math.abs(chosen - value);
            for (int neighbour : new int[] {half - 1, half + 1}) {
                float other = f16(neighbour);
                if (Float.isNaN(other) || Math.signum(other) * Math.signum(chosen) < 0) {
                    continue;
                }
                double otherError = Math.abs(other - (double) value);
                assertTrue(error < otherError || (error == otherError && (half & 1) == 0),
                        value + " -> " + Integer.toHexString(half & 0xffff));
            }
        }
    }
}
