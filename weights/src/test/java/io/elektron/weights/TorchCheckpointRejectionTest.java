package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile, corrupt and unsupported torch archives. Each must fail with a CheckpointFormatException naming the file and
 * the offending opcode, global, key or entry, and nothing in the pickle may be executed.
 */
class TorchCheckpointRejectionTest {
    @TempDir
    Path directory;

    private Path archive(byte[] pickle) throws IOException {
        return new TorchArchiveBuilder("pytorch_model").pickle(pickle).floatStorage("0", 1, 2, 3, 4)
                .writeTo(directory.resolve("pytorch_model.bin"));
    }

    private CheckpointFormatException refused(Path file, String... expectedFragments) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpointReader.open(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String fragment : expectedFragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
        }
        return e;
    }

    /** {@code os.system('echo pwned')} the way pickle spells {@code __reduce__} of a hostile object. */
    private static byte[] callWithString(String module, String name, String argument) {
        return new PickleBuilder().proto(2).global(module, name).unicode(argument).raw(0x85).reduce().stop().bytes();
    }

    @Test
    void osSystemIsRejectedAtTheGlobal() throws IOException {
        refused(archive(callWithString("os", "system", "echo pwned")),
                "pytorch_model/data.pkl at byte offset 2", "GLOBAL 'os system'", "os.system", "not on the allow-list");
    }

    @Test
    void posixSystemIsRejected() throws IOException {
        // What pickle.dumps emits for os.system on Linux.
        refused(archive(callWithString("posix", "system", "touch /tmp/pwned")), "byte offset 2", "posix.system");
    }

    @Test
    void builtinsEvalIsRejected() throws IOException {
        refused(archive(callWithString("builtins", "eval", "__import__('os').system('id')")), "builtins.eval");
    }

    @Test
    void builtinsExecPython2BuiltinEvalAndGetattrAreRejected() throws IOException {
        refused(archive(callWithString("builtins", "exec", "import os; os.system('id')")), "builtins.exec",
                "not on the allow-list");
        // Protocol-2 pickles written by Python 2 name the builtins module __builtin__.
        refused(archive(callWithString("__builtin__", "eval", "__import__('os').system('id')")), "__builtin__.eval");
        refused(archive(callWithString("builtins", "getattr", "system")), "builtins.getattr");
        refused(archive(callWithString("builtins", "__import__", "os")), "builtins.__import__");
        // The allow-list matches module and name exactly: no prefix or look-alike gets through.
        refused(archive(callWithString("torch._utils", "_rebuild_tensor_v2x", "x")), "torch._utils._rebuild_tensor_v2x");
        refused(archive(callWithString("collections ", "OrderedDict", "x")), "not on the allow-list");
    }

    @Test
    void nestedReduceOnTheResultOfACallIsRejected() throws IOException {
        // OrderedDict()() : the second REDUCE calls the dict the first one returned.
        byte[] pickle = new PickleBuilder().proto(2).orderedDict().emptyTuple().reduce().stop().bytes();
        refused(archive(pickle), "byte offset 30", "REDUCE on a dict of 0", "may be called");
        // A REDUCE nested in the arguments of an allowed call is still checked where it occurs.
        PickleBuilder nested = new PickleBuilder().proto(2).global("torch._utils", "_rebuild_parameter").mark();
        int offset = nested.offset();
        nested.global("subprocess", "check_output").unicode("id").raw(0x85).reduce().newFalse().emptyTuple().tuple()
                .reduce().stop();
        refused(archive(nested.bytes()), "byte offset " + (offset), "subprocess.check_output");
    }

    @Test
    void objectBuildingAndExtensionOpcodesAreRejectedByName() throws IOException {
        // OBJ instantiates a class (INST: see above), NEWOBJ/NEWOBJ_EX call cls.__new__, EXT1/2/4 name a callable through
        // copyreg's extension registry, PERSID is the text form of a persistent id: torch.save writes none of them.
        refused(archive(new PickleBuilder().proto(2).mark().global("os", "system").unicode("id").raw('o').stop().bytes()),
                "os.system");
        refused(archive(new PickleBuilder().proto(2).mark().raw('o').stop().bytes()), "byte offset 3", "0x6f 'o' OBJ");
        refused(archive(new PickleBuilder().proto(2).orderedDict().emptyTuple().raw(0x81).stop().bytes()),
                "0x81 NEWOBJ");
        refused(archive(new PickleBuilder().proto(4).orderedDict().emptyTuple().emptyDict().raw(0x92).stop().bytes()),
                "0x92 NEWOBJ_EX");
        refused(archive(new PickleBuilder().proto(2).raw(0x82, 1).stop().bytes()), "0x82 EXT1");
        refused(archive(new PickleBuilder().proto(2).raw(0x83, 1, 0).stop().bytes()), "0x83 EXT2");
        refused(archive(new PickleBuilder().proto(2).raw(0x84, 1, 0, 0, 0).stop().bytes()), "0x84 EXT4");
        refused(archive(new PickleBuilder().proto(2).raw('P', '0', '\n').stop().bytes()), "0x50 'P' PERSID");
    }

    @Test
    void subprocessPopenThroughStackGlobalIsRejected() throws IOException {
        byte[] pickle = new PickleBuilder().proto(4).stackGlobal("subprocess", "Popen").unicode("id").raw(0x85).reduce()
                .stop().bytes();
        refused(archive(pickle), "STACK_GLOBAL 'subprocess Popen'", "subprocess.Popen");
    }

    @Test
    void aHostileGlobalHiddenAfterAValidTensorIsRejectedAtItsOffset() throws IOException {
        PickleBuilder pickle = new PickleBuilder().proto(2).emptyDict().mark();
        pickle.unicode("ok").tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1});
        pickle.unicode("payload");
        int offset = pickle.offset();
        pickle.global("os", "system").unicode("rm -rf ~").raw(0x85).reduce().setItems().stop();
        refused(archive(pickle.bytes()), "byte offset " + offset + ":", "os.system");
    }

    @Test
    void torchGlobalsOutsideTheAllowListAreRejectedToo() throws IOException {
        // _load_from_bytes would unpickle an embedded, unchecked pickle.
        refused(archive(callWithString("torch.storage", "_load_from_bytes", "x")), "torch.storage._load_from_bytes");
    }

    @Test
    void opcodesOutsideTheSupportedSetAreRejectedByName() throws IOException {
        byte[] inst = new PickleBuilder().proto(2).mark().raw('i').raw("os\nsystem\n".getBytes()[0]).bytes();
        refused(archive(inst), "byte offset 3", "0x69 'i' INST");
        refused(archive(new PickleBuilder().proto(2).emptyDict().raw('2').stop().bytes()), "byte offset 3", "DUP");
        refused(archive(new PickleBuilder().proto(2).raw(0xff).bytes()), "0xff (not a pickle opcode)");
    }

    @Test
    void callingAStorageClassOrBuildingAListIsRejected() throws IOException {
        refused(archive(new PickleBuilder().proto(2).global("torch", "FloatStorage").emptyTuple().reduce().stop().bytes()),
                "REDUCE on torch.FloatStorage");
        refused(archive(new PickleBuilder().proto(2).emptyList().emptyDict().build().stop().bytes()),
                "BUILD on a list of 0");
    }

    @Test
    void malformedPicklesAreRejected() throws IOException {
        refused(archive(new PickleBuilder().proto(2).emptyDict().bytes()), "without a STOP");
        refused(archive(new PickleBuilder().proto(2).binGet(5).stop().bytes()), "memo entry 5 read before it was written");
        refused(archive(new PickleBuilder().proto(2).raw(0x86).stop().bytes()), "stack underflow");
        refused(archive(new PickleBuilder().proto(2).raw(0x8a, 9).raw(new int[9]).stop().bytes()), "LONG1 of 9 bytes");
        refused(archive(new PickleBuilder().proto(2).raw('X', 0xff, 0xff, 0xff, 0x7f).bytes()), "string of 2147483647 bytes");
        refused(archive(new PickleBuilder().proto(9).bytes()), "pickle protocol 9");
        refused(archive(new PickleBuilder().proto(2).emptyDict().emptyDict().stop().bytes()), "STOP with 2 objects");
    }

    @Test
    void thePickledObjectMustBeAFlatDictOfTensors() throws IOException {
        refused(archive(new PickleBuilder().proto(2).emptyList().stop().bytes()), "not a dict");
        refused(archive(new PickleBuilder().proto(2).emptyDict().unicode("epoch").integer(3).setItem().stop().bytes()),
                "state dict entry 'epoch' is not a tensor");
    }

    @Test
    void missingDataPkl() throws IOException {
        Path file = new TorchArchiveBuilder("pytorch_model").floatStorage("0", 1).writeTo(directory.resolve("no-pkl.bin"));
        refused(file, "missing data.pkl");
    }

    @Test
    void truncatedZip() throws IOException {
        byte[] bytes = Files.readAllBytes(TestResources.path("fixtures/tiny/pytorch_model.bin"));
        refused(Files.write(directory.resolve("half.bin"), Arrays.copyOf(bytes, bytes.length / 2)),
                "not a zip archive or truncated");
        refused(Files.write(directory.resolve("tail.bin"), Arrays.copyOf(bytes, bytes.length - 10)),
                "not a zip archive or truncated");
        refused(Files.write(directory.resolve("tiny.bin"), new byte[] {'P', 'K', 3, 4}), "truncated zip archive");
    }

    @Test
    void corruptStorageBytesFailTheChecksum() throws IOException {
        byte[] bytes = Files.readAllBytes(TestResources.path("fixtures/tiny/pytorch_model.bin"));
        bytes[bytes.length / 2] ^= 0x10; // inside some storage entry
        refused(Files.write(directory.resolve("flipped.bin"), bytes), "is corrupt: CRC-32");
    }

    @Test
    void storageEntrySmallerThanThePickleClaims() throws IOException {
        PickleBuilder pickle = new PickleBuilder().proto(2).emptyDict()
                .unicode("w").tensor("FloatStorage", "0", 1000, 0, new long[] {1000}, new long[] {1}).setItem().stop();
        refused(archive(pickle.bytes()), "tensor 'w'", "storage entry 'pytorch_model/data/0' has 16 bytes",
                "1000 x F32 = 4000 bytes");
    }

    @Test
    void tensorReachingPastItsStorage() throws IOException {
        PickleBuilder offsetPastEnd = new PickleBuilder().proto(2).emptyDict()
                .unicode("w").tensor("FloatStorage", "0", 4, 3, new long[] {2}, new long[] {1}).setItem().stop();
        refused(archive(offsetPastEnd.bytes()), "tensor 'w'", "reaches element 4", "past the end of its storage");
        PickleBuilder strideTooLarge = new PickleBuilder().proto(2).emptyDict()
                .unicode("w").tensor("FloatStorage", "0", 4, 0, new long[] {2, 2}, new long[] {3, 1}).setItem().stop();
        refused(archive(strideTooLarge.bytes()), "stride [3, 1]", "reaches element 4");
        PickleBuilder overflowing = new PickleBuilder().proto(2).emptyDict()
                .unicode("w").tensor("FloatStorage", "0", 4, 0, new long[] {1L << 40, 1L << 40}, new long[] {1, 1})
                .setItem().stop();
        refused(archive(overflowing.bytes()), "tensor 'w'", "overflow");
    }

    /**
     * Found by review while writing the fuzz targets: a stride-0 view gathered element by element could turn a
     * 16-byte storage into a copy of up to 2 GiB (an OutOfMemoryError from a 100-byte pickle), and with a byte count
     * past 2^63 the size check overflowed and the reader failed with an IllegalArgumentException.
     */
    @Test
    void viewsThatRepeatStorageElementsAreRefusedBeforeAnyCopy() throws IOException {
        PickleBuilder amplifying = new PickleBuilder().proto(2).emptyDict()
                .unicode("w").tensor("DoubleStorage", "0", 2, 0, new long[] {(1L << 28) - 1}, new long[] {0})
                .setItem().stop();
        refused(archive(amplifying.bytes()), "tensor 'w'", "268435455 elements", "storage '0' of 2 elements",
                "contiguous");
        PickleBuilder overflowing = new PickleBuilder().proto(2).emptyDict()
                .unicode("w").tensor("IntStorage", "0", 4, 0, new long[] {1L << 62}, new long[] {0})
                .setItem().stop();
        refused(archive(overflowing.bytes()), "tensor 'w'", "4611686018427387904 elements");
    }

    @Test
    void aTransposedViewWithinItsStorageStillLoads() throws IOException {
        PickleBuilder transposed = new PickleBuilder().proto(2).emptyDict()
                .unicode("t").tensor("FloatStorage", "0", 4, 0, new long[] {2, 2}, new long[] {1, 2})
                .setItem().stop();
        try (Checkpoint checkpoint = TorchCheckpointReader.open(archive(transposed.bytes()))) {
            assertArrayEquals(new float[] {1, 3, 2, 4}, checkpoint.get("t").toFloatArray());
        }
    }

    @Test
    void missingStorageEntryAndInconsistentDeclarations() throws IOException {
        PickleBuilder missing = new PickleBuilder().proto(2).emptyDict()
                .unicode("w").tensor("FloatStorage", "9", 4, 0, new long[] {4}, new long[] {1}).setItem().stop();
        refused(archive(missing.bytes()), "storage entry 'pytorch_model/data/9' is missing");
        PickleBuilder inconsistent = new PickleBuilder().proto(2).emptyDict().mark()
                .unicode("a").tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                .unicode("b").tensor("HalfStorage", "0", 8, 0, new long[] {8}, new long[] {1}).setItems().stop();
        refused(archive(inconsistent.bytes()), "tensor 'b'", "storage '0' declared as 8 x F16, but earlier as 4 x F32");
    }

    @Test
    void bigEndianArchivesLegacyFilesAndCompressedEntriesAreRefused() throws IOException {
        byte[] emptyDict = new PickleBuilder().proto(2).emptyDict().stop().bytes();
        Path bigEndian = new TorchArchiveBuilder("m").pickle(emptyDict).entry("byteorder", "big".getBytes())
                .writeTo(directory.resolve("big.bin"));
        refused(bigEndian, "m/byteorder", "expected 'little', found 'big'");
        Path legacy = Files.write(directory.resolve("legacy.bin"), emptyDict);
        refused(legacy, "legacy torch.save format");
        assertThrows(CheckpointFormatException.class, () -> Checkpoint.open(legacy));
        Path compressed = new TorchArchiveBuilder("m").compressedEntry("data.pkl", emptyDict)
                .writeTo(directory.resolve("deflated.bin"));
        refused(compressed, "m/data.pkl' is compressed");
    }

    @Test
    void emptyStateDictIsFine() throws IOException {
        Path file = archive(new PickleBuilder().proto(2).emptyDict().stop().bytes());
        try (Checkpoint checkpoint = TorchCheckpointReader.open(file)) {
            assertEquals(0, checkpoint.names().size());
        }
    }
}
