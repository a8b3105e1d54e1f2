package io.elektron.weights;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickle opcodes by hand, so tests can build both torch.save-shaped state dicts and hostile pickles byte by
 * byte. {@link #offset()} tells where the next opcode will start, to check the offsets error messages report.
 */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int offset() {
        return out.size();
    }

    PickleBuilder raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleBuilder proto(int protocol) {
        return raw(0x80, protocol);
    }

    PickleBuilder global(String module, String name) {
        raw('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** Protocol 4: pushes module and name as strings, then STACK_GLOBAL. */
    PickleBuilder stackGlobal(String module, String name) {
        return shortUnicode(module).shortUnicode(name).raw(0x93);
    }

    PickleBuilder unicode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        raw('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length).array());
        out.writeBytes(bytes);
        return this;
    }

    PickleBuilder shortUnicode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        raw(0x8c, bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    /** The shortest integer opcode for {@code value}, as CPython picks it. */
    PickleBuilder integer(long value) {
        if (value >= 0 && value < 256) {
            return raw('K', (int) value);
        }
        if (value >= 0 && value < 65536) {
            return raw('M', (int) (value & 0xff), (int) (value >>> 8));
        }
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            raw('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
            return this;
        }
        raw(0x8a, 8);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        return this;
    }

    PickleBuilder mark() {
        return raw('(');
    }

    PickleBuilder tuple() {
        return raw('t');
    }

    PickleBuilder tupleOf(long... values) {
        mark();
        for (long value : values) {
            integer(value);
        }
        return tuple();
    }

    PickleBuilder emptyTuple() {
        return raw(')');
    }

    PickleBuilder emptyDict() {
        return raw('}');
    }

    PickleBuilder emptyList() {
        return raw(']');
    }

    PickleBuilder reduce() {
        return raw('R');
    }

    PickleBuilder setItem() {
        return raw('s');
    }

    PickleBuilder setItems() {
        return raw('u');
    }

    PickleBuilder build() {
        return raw('b');
    }

    PickleBuilder newFalse() {
        return raw(0x89);
    }

    PickleBuilder binPut(int index) {
        return raw('q', index);
    }

    PickleBuilder binGet(int index) {
        return raw('h', index);
    }

    PickleBuilder stop() {
        return raw('.');
    }

    /** {@code collections.OrderedDict()}. */
    PickleBuilder orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /**
     * The value torch.save writes for a tensor: {@code _rebuild_tensor_v2(<persistent storage>, offset, size, stride,
     * False, OrderedDict())}.
     */
    PickleBuilder tensor(String storageClass, String storageKey, long storageNumel, long storageOffset, long[] size,
                         long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        mark().unicode("storage").global("torch", storageClass).unicode(storageKey).unicode("cpu")
                .integer(storageNumel).tuple().raw('Q');
        integer(storageOffset).tupleOf(size).tupleOf(stride).newFalse().orderedDict();
        tuple();
        return reduce();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
