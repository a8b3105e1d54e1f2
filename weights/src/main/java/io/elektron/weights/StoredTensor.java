package io.elektron.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor as a checkpoint stores it: element type, shape (row-major, C order) and the raw little-endian
 * bytes.
 *
 * <p>The bytes are usually a zero-copy view into a memory-mapped checkpoint; {@link #data()} returns a fresh
 * read-only, little-endian view each time, positioned at 0, so callers never disturb each other (and never hit the
 * trap that {@code ByteBuffer.duplicate()}/{@code slice()} silently reset the byte order to big-endian).
 *
 * <p>Views obtained from a {@link Checkpoint} must not be used after the checkpoint is closed.
 *
 * @param name  the state-dict key, e.g. {@code electra.embeddings.word_embeddings.weight}
 * @param dtype element type
 * @param shape sizes, outermost first; empty for a scalar (the array is copied in and out)
 * @param data  exactly {@code numel * dtype.byteSize()} bytes (the buffer's remaining bytes), little-endian
 */
public record StoredTensor(String name, DType dtype, long[] shape, ByteBuffer data) {

    /** Validates that the shape is non-negative and that the buffer holds exactly the bytes the shape needs. */
    public StoredTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(numelOf(shape), dtype.byteSize());
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name + "': invalid shape " + Arrays.toString(shape)
                    + ": " + e.getMessage(), e);
        }
        if (data.remaining() != expectedBytes) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype + " " + Arrays.toString(shape)
                    + " needs " + expectedBytes + " bytes, buffer has " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A tensor over a copy of {@code values} as {@link DType#F32}. */
    public static StoredTensor ofFloats(String name, long[] shape, float[] values) {
        return ofFloats(name, DType.F32, shape, values);
    }

    /**
     * A tensor over a copy of {@code values} converted to {@code dtype}: F32, F64 (exact) or F16/BF16 (rounded to
     * nearest even, see {@link HalfFloats}).
     */
    public static StoredTensor ofFloats(String name, DType dtype, long[] shape, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> bytes.asFloatBuffer().put(values);
            case F64 -> {
                DoubleBuffer out = bytes.asDoubleBuffer();
                for (float v : values) {
                    out.put(v);
                }
            }
            case F16 -> {
                ShortBuffer out = bytes.asShortBuffer();
                for (float v : values) {
                    out.put(HalfFloats.floatToFloat16(v));
                }
            }
            case BF16 -> {
                ShortBuffer out = bytes.asShortBuffer();
                for (float v : values) {
                    out.put(HalfFloats.floatToBFloat16(v));
                }
            }
            default -> throw new IllegalArgumentException("ofFloats needs a floating-point dtype, got " + dtype);
        }
        return new StoredTensor(name, dtype, shape, bytes);
    }

    /** A tensor over a copy of {@code values} as {@link DType#I64} (e.g. {@code position_ids}). */
    public static StoredTensor ofLongs(String name, long[] shape, long[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return new StoredTensor(name, DType.I64, shape, bytes);
    }

    /**
     * Number of elements: the product of {@code shape} (1 for a scalar).
     *
     * @throws IllegalArgumentException if a size is negative
     * @throws ArithmeticException      if the product overflows a long
     */
    public static long numelOf(long[] shape) {
        long numel = 1;
        for (long size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("negative size " + size);
            }
            numel = Math.multiplyExact(numel, size);
        }
        return numel;
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A fresh read-only little-endian view of the bytes, position 0, limit = {@link #byteSize()}. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public long numel() {
        return numelOf(shape);
    }

    /** Number of bytes of data. */
    public long byteSize() {
        return data.capacity();
    }

    /** The same bytes under another key (e.g. to add or strip HF's {@code electra.} prefix). */
    public StoredTensor withName(String newName) {
        return new StoredTensor(newName, dtype, shape, data);
    }

    /**
     * The values as float32: exact for F32, F16 and BF16, rounded for F64.
     *
     * @throws IllegalStateException for integer and boolean dtypes (use {@link #toLongArray()})
     */
    public float[] toFloatArray() {
        float[] values = new float[Math.toIntExact(numel())];
        copyFloatsTo(FloatBuffer.wrap(values));
        return values;
    }

    /**
     * Writes the values as float32 into {@code destination} at its position (advancing it), without an intermediate
     * array, so a model can fill its own (e.g. native) buffers. Conversion as in {@link #toFloatArray()}.
     *
     * @throws IllegalArgumentException if {@code destination} has fewer than {@link #numel()} floats remaining
     *                                  (nothing is written then)
     * @throws IllegalStateException    for integer and boolean dtypes
     */
    public void copyFloatsTo(FloatBuffer destination) {
        requireFloatingPoint("copyFloatsTo");
        int count = Math.toIntExact(numel());
        if (destination.remaining() < count) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + count + " elements, destination has room for "
                    + destination.remaining());
        }
        ByteBuffer bytes = data();
        switch (dtype) {
            // A bulk put between float views is a memory copy when both sides have the same byte order.
            case F32 -> destination.put(bytes.asFloatBuffer());
            case F64 -> {
                DoubleBuffer in = bytes.asDoubleBuffer();
                for (int i = 0; i < count; i++) {
                    destination.put((float) in.get(i));
                }
            }
            case F16 -> {
                ShortBuffer in = bytes.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    destination.put(HalfFloats.float16ToFloat(in.get(i)));
                }
            }
            case BF16 -> {
                ShortBuffer in = bytes.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    destination.put(HalfFloats.bfloat16ToFloat(in.get(i)));
                }
            }
            default -> throw new AssertionError(dtype);
        }
    }

    /**
     * The values as longs: exact for every integer type and BOOL (0/1); U8, U16 and U32 are zero-extended, U64 is
     * returned as its two's-complement bits (values above {@code Long.MAX_VALUE} read negative).
     *
     * @throws IllegalStateException for floating-point dtypes
     */
    public long[] toLongArray() {
        if (dtype.isFloatingPoint()) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + "; toLongArray needs an integer dtype");
        }
        int count = Math.toIntExact(numel());
        long[] values = new long[count];
        ByteBuffer bytes = data();
        for (int i = 0; i < count; i++) {
            values[i] = switch (dtype) {
                case BOOL, U8 -> Byte.toUnsignedLong(bytes.get(i));
                case I8 -> bytes.get(i);
                case I16 -> bytes.getShort(2 * i);
                case U16 -> Short.toUnsignedLong(bytes.getShort(2 * i));
                case I32 -> bytes.getInt(4 * i);
                case U32 -> Integer.toUnsignedLong(bytes.getInt(4 * i));
                case I64, U64 -> bytes.getLong(8 * i);
                default -> throw new AssertionError(dtype);
            };
        }
        return values;
    }

    private void requireFloatingPoint(String operation) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype + "; " + operation
                    + " needs F32, F16, BF16 or F64 (use toLongArray for integer tensors)");
        }
    }

    /** Equal when name, dtype, shape and every data byte are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof StoredTensor that
                && name.equals(that.name)
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && data.equals(that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), data);
    }

    /** Name, dtype and shape; never the data. */
    @Override
    public String toString() {
        return "StoredTensor[" + name + ", " + dtype + ", " + Arrays.toString(shape) + "]";
    }
}
