package io.elektron.weights;

/**
 * Conversions between float32 and the two 16-bit float formats checkpoints use: IEEE 754 binary16 ({@link DType#F16})
 * and bfloat16 ({@link DType#BF16}).
 *
 * <p>Widening to float32 is exact for both (every binary16 and bfloat16 value, subnormals, infinities and NaN payloads
 * included, is a float32 value). Narrowing rounds to nearest, ties to even, as PyTorch's {@code .half()} and
 * {@code .bfloat16()} do; NaN stays NaN. JDK 17 has no {@code Float.float16ToFloat} (added in 20), hence this class.
 */
public final class HalfFloats {
    private HalfFloats() {
    }

    /** The float32 value of the binary16 bit pattern {@code half} (exact). */
    public static float float16ToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            // Infinity (mantissa 0) or NaN; the payload moves to the top of float32's mantissa.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact because mantissa < 2^10.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** The float32 value of the bfloat16 bit pattern {@code bfloat} (exact: bfloat16 is float32's top half). */
    public static float bfloat16ToFloat(short bfloat) {
        return Float.intBitsToFloat((bfloat & 0xffff) << 16);
    }

    /** The binary16 bit pattern nearest to {@code value} (ties to even; beyond 65504 rounds to infinity). */
    public static short floatToFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            if (mantissa == 0) {
                return (short) (sign | 0x7c00);
            }
            int payload = mantissa >>> 13;
            // A payload living only in the low 13 bits would turn the NaN into infinity: set the quiet bit instead.
            return (short) (sign | 0x7c00 | (payload == 0 ? 0x200 : payload));
        }
        int unbiased = exponent - 127;
        if (unbiased > 15) {
            return (short) (sign | 0x7c00);
        }
        if (unbiased >= -14) {
            int result = ((unbiased + 15) << 10) | (mantissa >>> 13);
            int dropped = mantissa & 0x1fff;
            if (dropped > 0x1000 || (dropped == 0x1000 && (result & 1) != 0)) {
                result++; // a carry out of the mantissa bumps the exponent, up to infinity (0x7c00), as it should
            }
            return (short) (sign | result);
        }
        if (unbiased < -25) {
            return (short) sign; // below half the smallest subnormal (2^-25): rounds to a signed zero
        }
        // Half subnormal, in units of 2^-24: (1.mantissa) * 2^(unbiased + 1) after the shift below.
        int full = mantissa | 0x800000;
        int shift = -(unbiased + 1);
        int result = full >>> shift;
        int remainder = full & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (result & 1) != 0)) {
            result++; // may reach 0x400, which is exactly the encoding of the smallest normal
        }
        return (short) (sign | result);
    }

    /** The bfloat16 bit pattern nearest to {@code value} (ties to even; NaN stays a quiet NaN). */
    public static short floatToBFloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7fffffff) > 0x7f800000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
