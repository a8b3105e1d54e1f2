package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elektron.weights.TorchUnpickler.Tuple;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pickle machine on plain values, including opcodes the torch fixtures happen not to use. */
class TorchUnpicklerTest {
    private static final Path FILE = Path.of("test.bin");

    private static Object load(byte[] pickle) throws CheckpointFormatException {
        return TorchUnpickler.load(FILE, "test/data.pkl", ByteBuffer.wrap(pickle));
    }

    /**
     * Generated once with CPython 3.11:
     * {@code pickle.dumps([None, True, False, 1.5, -2**40, 70000, -1, 255, 65535, 'é✓', (1,2,3), {'a': [1, 2]}, []],
     * protocol=P).hex()}.
     */
    private static final String CPYTHON_PROTOCOL_2 = "80025d7100284e8889473ff80000000000008a060000000000ff4a701101004a"
            + "ffffffff4bff4dffff5805000000c3a9e29c9371014b014b024b038771027d710358010000006171045d7105284b014b02"
            + "65735d7106652e";
    private static final String CPYTHON_PROTOCOL_4 = "80049549000000000000005d94284e8889473ff80000000000008a060000000000"
            + "ff4a701101004affffffff4bff4dffff8c05c3a9e29c93944b014b024b0387947d948c0161945d94284b014b0265735d94"
            + "652e";

    @Test
    void plainValuesPickledByCPythonDecodeExactly() throws CheckpointFormatException {
        List<Object> expected = Arrays.asList(null, true, false, 1.5, -(1L << 40), 70000L, -1L, 255L, 65535L, "é✓",
                new Tuple(List.of(1L, 2L, 3L)), Map.of("a", List.of(1L, 2L)), List.of());
        for (String hex : List.of(CPYTHON_PROTOCOL_2, CPYTHON_PROTOCOL_4)) {
            assertEquals(expected, load(HexFormat.of().parseHex(hex)), hex.substring(0, 4));
        }
    }

    @Test
    void longMemoIndicesAndUnicode8() throws CheckpointFormatException {
        byte[] pickle = new PickleBuilder().proto(4).emptyList()
                .shortUnicode("x").raw('r', 0x2c, 0x01, 0, 0) // LONG_BINPUT 300
                .raw('a') // APPEND
                .raw('j', 0x2c, 0x01, 0, 0) // LONG_BINGET 300
                .raw('a')
                .raw(0x8d, 2, 0, 0, 0, 0, 0, 0, 0, 'h', 'i') // BINUNICODE8 'hi'
                .raw('a').raw(0x8a, 0).raw('a') // LONG1 of zero bytes is 0
                .stop().bytes();
        assertEquals(new ArrayList<>(List.of("x", "x", "hi", 0L)), load(pickle));
    }

    @Test
    void onlyScalarDictKeysAreAccepted() {
        // A tuple key could hold a list that holds the tuple: hashing it would never end.
        byte[] pickle = new PickleBuilder().proto(2).emptyDict().tupleOf(1, 2).integer(3).setItem().stop().bytes();
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> load(pickle));
        assertTrue(e.getMessage().contains("test/data.pkl at byte offset 11: dict key of type a tuple of 2"),
                e.getMessage());
    }

    @Test
    void framesAndMarksAreBoundsChecked() {
        byte[] longFrame = new PickleBuilder().proto(4).raw(0x95, 0xff, 0, 0, 0, 0, 0, 0, 0).stop().bytes();
        assertTrue(assertThrows(CheckpointFormatException.class, () -> load(longFrame)).getMessage()
                .contains("FRAME of 255 bytes"));
        byte[] noMark = new PickleBuilder().proto(2).tuple().stop().bytes();
        assertTrue(assertThrows(CheckpointFormatException.class, () -> load(noMark)).getMessage()
                .contains("no MARK"));
        // TUPLE2 may not reach below the innermost MARK.
        byte[] acrossMark = new PickleBuilder().proto(2).integer(1).mark().integer(2).raw(0x86).bytes();
        assertTrue(assertThrows(CheckpointFormatException.class, () -> load(acrossMark)).getMessage()
                .contains("stack underflow"));
        byte[] globalWithoutNewline = new PickleBuilder().proto(2).raw('c', 'o', 's').bytes();
        assertTrue(assertThrows(CheckpointFormatException.class, () -> load(globalWithoutNewline)).getMessage()
                .contains("GLOBAL operand without a newline"));
    }
}
