package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class StoredTensorTest {

    private static ByteBuffer littleEndianShorts(int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            bytes.putShort((short) value);
        }
        return bytes.flip();
    }

    @Test
    void halfPrecisionTensorsWidenExactly() {
        StoredTensor f16 = new StoredTensor("h", DType.F16, new long[] {2, 2}, littleEndianShorts(0x3C00, 0xC000, 0x0001, 0x7C00));
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY}, f16.toFloatArray());
        StoredTensor bf16 = new StoredTensor("b", DType.BF16, new long[] {3}, littleEndianShorts(0x3F80, 0xC000, 0xFF80));
        assertArrayEquals(new float[] {1f, -2f, Float.NEGATIVE_INFINITY}, bf16.toFloatArray());
    }

    @Test
    void ofFloatsRoundTripsThroughEveryFloatingType() {
        float[] values = {0f, -1.5f, 65504f, 0x1p-24f};
        for (DType dtype : new DType[] {DType.F32, DType.F64, DType.F16, DType.BF16}) {
            StoredTensor tensor = StoredTensor.ofFloats("t", dtype, new long[] {4}, values);
            assertEquals(4L * dtype.byteSize(), tensor.byteSize());
            float[] back = tensor.toFloatArray();
            if (dtype == DType.BF16) {
                assertEquals(65536f, back[2]); // 65504 is not a bfloat16 value: nearest is 2^16
                assertEquals(0x1p-24f, back[3]);
            } else {
                assertArrayEquals(values, back, dtype.toString());
            }
        }
    }

    @Test
    void integerTypesConvertToLongs() {
        ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).put((byte) -1).put((byte) 2).put((byte) 0)
                .put((byte) 1).flip();
        assertArrayEquals(new long[] {255, 2, 0, 1}, new StoredTensor("u", DType.U8, new long[] {4}, bytes).toLongArray());
        assertArrayEquals(new long[] {-1, 2, 0, 1}, new StoredTensor("i", DType.I8, new long[] {4}, bytes).toLongArray());
        assertArrayEquals(new long[] {-1, 2, 0, 1}, new StoredTensor("i", DType.I8, new long[] {2, 2}, bytes).toLongArray());
        ByteBuffer ints = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(1 << 30).flip();
        assertArrayEquals(new long[] {-7, 1 << 30}, new StoredTensor("i", DType.I32, new long[] {2}, ints).toLongArray());
        assertArrayEquals(new long[] {4294967289L, 1 << 30},
                new StoredTensor("u", DType.U32, new long[] {2}, ints).toLongArray());
        assertArrayEquals(new long[] {-5, 1L << 40},
                StoredTensor.ofLongs("ids", new long[] {2}, new long[] {-5, 1L << 40}).toLongArray());
    }

    @Test
    void scalarsHaveOneElementAndEmptyTensorsNone() {
        StoredTensor scalar = StoredTensor.ofFloats("s", new long[0], new float[] {3f});
        assertEquals(1, scalar.numel());
        assertEquals(0, scalar.rank());
        StoredTensor empty = StoredTensor.ofFloats("e", new long[] {0, 5}, new float[0]);
        assertEquals(0, empty.numel());
        assertArrayEquals(new float[0], empty.toFloatArray());
    }

    @Test
    void constructionRejectsBadShapesAndSizes() {
        ByteBuffer eightBytes = ByteBuffer.allocate(8);
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> new StoredTensor("w", DType.F32, new long[] {3}, eightBytes));
        assertTrue(mismatch.getMessage().contains("needs 12 bytes, buffer has 8"), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StoredTensor("w", DType.F32, new long[] {-2}, eightBytes));
        assertThrows(IllegalArgumentException.class,
                () -> new StoredTensor("w", DType.F32, new long[] {1L << 40, 1L << 40}, eightBytes));
    }

    @Test
    void viewsAreIndependentReadOnlyAndLittleEndian() {
        StoredTensor tensor = StoredTensor.ofFloats("w", new long[] {2}, new float[] {1f, 2f});
        ByteBuffer first = tensor.data();
        first.getFloat();
        ByteBuffer second = tensor.data();
        assertEquals(0, second.position());
        assertEquals(ByteOrder.LITTLE_ENDIAN, second.order());
        assertEquals(1f, second.getFloat(0));
        assertThrows(ReadOnlyBufferException.class, () -> second.put(0, (byte) 1));
        long[] shape = tensor.shape();
        shape[0] = 99;
        assertArrayEquals(new long[] {2}, tensor.shape());
    }

    @Test
    void wrongConversionsAndTooSmallDestinationsAreRefused() {
        StoredTensor ids = StoredTensor.ofLongs("ids", new long[] {2}, new long[] {1, 2});
        assertThrows(IllegalStateException.class, ids::toFloatArray);
        StoredTensor weights = StoredTensor.ofFloats("w", new long[] {3}, new float[] {1, 2, 3});
        assertThrows(IllegalStateException.class, weights::toLongArray);
        FloatBuffer small = FloatBuffer.allocate(2);
        assertThrows(IllegalArgumentException.class, () -> weights.copyFloatsTo(small));
        assertEquals(0, small.position()); // nothing written
    }

    @Test
    void equalityComparesContentNotIdentity() {
        StoredTensor a = StoredTensor.ofFloats("w", new long[] {2}, new float[] {1f, 2f});
        StoredTensor b = StoredTensor.ofFloats("w", new long[] {2}, new float[] {1f, 2f});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("StoredTensor[w, F32, [2]]", a.toString());
        assertEquals("v", a.withName("v").name());
    }
}
