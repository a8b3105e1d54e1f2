package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Valid torch.save-style archives beyond the fixtures: every storage dtype, views, protocols 2, 4 and 5. */
class TorchCheckpointReaderTest {
    @TempDir
    Path directory;

    /** Archives written by CPython's pickler; see src/test/resources/torch-synthetic/make_synthetic_archives.py. */
    @ParameterizedTest
    @ValueSource(ints = {2, 4, 5})
    void synthesisedArchivesDecodeToTheValuesTheScriptWrote(int protocol) throws IOException {
        Path file = TestResources.path("torch-synthetic/synthetic_protocol" + protocol + ".bin");
        try (Checkpoint checkpoint = Checkpoint.open(file)) {
            assertEquals(List.of("f32.matrix", "f32.transposed", "f32.row1", "f16.values", "bf16.values", "i64.ids",
                    "i32.scalar", "f64.values", "i16.values", "i8.values", "u8.values", "bool.values", "param.bias",
                    "f32.empty"), checkpoint.names());

            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, checkpoint.get("f32.matrix").toFloatArray());
            assertArrayEquals(new long[] {2, 3}, checkpoint.get("f32.matrix").shape());
            // A transposed view is gathered into row-major order.
            assertArrayEquals(new long[] {3, 2}, checkpoint.get("f32.transposed").shape());
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, checkpoint.get("f32.transposed").toFloatArray());
            // A view with a storage offset shares the storage.
            assertArrayEquals(new float[] {4, 5, 6}, checkpoint.get("f32.row1").toFloatArray());

            float[] halves = checkpoint.get("f16.values").toFloatArray();
            assertEquals(DType.F16, checkpoint.get("f16.values").dtype());
            assertArrayEquals(new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY},
                    java.util.Arrays.copyOf(halves, 5));
            assertTrue(Float.isNaN(halves[5]));
            assertEquals(DType.BF16, checkpoint.get("bf16.values").dtype());
            assertArrayEquals(new float[] {1f, -2f, 0x1p-133f, Float.NEGATIVE_INFINITY},
                    checkpoint.get("bf16.values").toFloatArray());

            assertArrayEquals(new long[] {0, 1, -2, 1L << 40}, checkpoint.get("i64.ids").toLongArray());
            StoredTensor scalar = checkpoint.get("i32.scalar");
            assertEquals(DType.I32, scalar.dtype());
            assertEquals(0, scalar.rank());
            assertArrayEquals(new long[] {-7}, scalar.toLongArray());
            assertArrayEquals(new float[] {0.1f, -3.5f}, checkpoint.get("f64.values").toFloatArray());
            assertArrayEquals(new long[] {-300, 300}, checkpoint.get("i16.values").toLongArray());
            assertArrayEquals(new long[] {-5, 5}, checkpoint.get("i8.values").toLongArray());
            assertArrayEquals(new long[] {0, 255}, checkpoint.get("u8.values").toLongArray());
            assertEquals(DType.BOOL, checkpoint.get("bool.values").dtype());
            assertArrayEquals(new long[] {1, 0, 1}, checkpoint.get("bool.values").toLongArray());
            assertArrayEquals(new float[] {0.5f, -0.25f}, checkpoint.get("param.bias").toFloatArray());
            assertArrayEquals(new long[] {0, 4}, checkpoint.get("f32.empty").shape());
            assertEquals(0, checkpoint.get("f32.empty").byteSize());
        }
    }

    @Test
    void handBuiltArchiveWithTiedStoragesAndSizeOneStrides() throws IOException {
        PickleBuilder pickle = new PickleBuilder().proto(2).emptyDict().mark();
        pickle.unicode("embeddings.weight").tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {2, 1});
        pickle.unicode("lm_head.weight").tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {2, 1});
        // Dimensions of size 1 may carry any stride and still be contiguous (torch's rule).
        pickle.unicode("row").tensor("FloatStorage", "0", 6, 2, new long[] {1, 2}, new long[] {77, 1});
        pickle.setItems().stop();
        Path file = new TorchArchiveBuilder("archive").pickle(pickle.bytes())
                .floatStorage("0", 1, 2, 3, 4, 5, 6).writeTo(directory.resolve("tied.bin"));
        try (Checkpoint checkpoint = TorchCheckpointReader.open(file)) {
            assertEquals(checkpoint.get("embeddings.weight").data(), checkpoint.get("lm_head.weight").data());
            assertArrayEquals(new float[] {3, 4}, checkpoint.get("row").toFloatArray());
        }
    }

    @Test
    void orderedDictStateDictWithMetadataAndAParameter() throws IOException {
        PickleBuilder pickle = new PickleBuilder().proto(2).orderedDict().binPut(0).mark();
        pickle.unicode("w").global("torch._utils", "_rebuild_parameter").mark()
                .tensor("HalfStorage", "7", 2, 0, new long[] {2}, new long[] {1})
                .raw(0x88).orderedDict().tuple().reduce();
        pickle.setItems();
        // state = {'_metadata': OrderedDict([('', {'version': 1})])}, applied with BUILD
        pickle.emptyDict().unicode("_metadata").orderedDict().unicode("").emptyDict().unicode("version").integer(1)
                .setItem().setItem().setItem().build().stop();
        ByteBuffer halves = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00)
                .putShort((short) 0xC000);
        Path file = new TorchArchiveBuilder("model").pickle(pickle.bytes()).storage("7", halves.array())
                .entry("byteorder", "little".getBytes()).writeTo(directory.resolve("param.bin"));
        try (Checkpoint checkpoint = TorchCheckpointReader.open(file)) {
            assertEquals(List.of("w"), checkpoint.names());
            assertArrayEquals(new float[] {1, -2}, checkpoint.get("w").toFloatArray());
        }
    }
}
