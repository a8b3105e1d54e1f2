package io.elektron.weights;

import java.util.Optional;

/**
 * Element types a checkpoint can hold, with their size in bytes and their safetensors code.
 *
 * <p>Every multi-byte type is stored little-endian, as both safetensors and torch.save (on every platform
 * PyTorch ships for) write it. The 8-bit float types of newer safetensors files are not supported: a file that
 * holds them is refused with a {@link CheckpointFormatException} naming the dtype.
 */
public enum DType {
    BOOL("BOOL", 1, false),
    U8("U8", 1, false),
    I8("I8", 1, false),
    I16("I16", 2, false),
    U16("U16", 2, false),
    F16("F16", 2, true),
    BF16("BF16", 2, true),
    I32("I32", 4, false),
    U32("U32", 4, false),
    F32("F32", 4, true),
    I64("I64", 8, false),
    U64("U64", 8, false),
    F64("F64", 8, true);

    private final String safetensorsName;
    private final int byteSize;
    private final boolean floatingPoint;

    DType(String safetensorsName, int byteSize, boolean floatingPoint) {
        this.safetensorsName = safetensorsName;
        this.byteSize = byteSize;
        this.floatingPoint = floatingPoint;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The code safetensors headers use for this type ({@code "F32"}, {@code "BF16"}, ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** True for F16, BF16, F32 and F64: the types {@link StoredTensor#toFloatArray()} accepts. */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** The type a safetensors header calls {@code name}, or empty if it is unknown or unsupported. */
    public static Optional<DType> fromSafetensorsName(String name) {
        for (DType type : values()) {
            if (type.safetensorsName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
