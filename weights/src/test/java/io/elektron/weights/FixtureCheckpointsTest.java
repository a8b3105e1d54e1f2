package io.elektron.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The golden fixtures (HF transformers 4.30 on torch 1.13): each model's pytorch_model.bin and model.safetensors must
 * hold every key of state_dict.json with its shape and dtype, and bit-identical values.
 */
class FixtureCheckpointsTest {

    record ExpectedTensor(String name, DType dtype, long[] shape, boolean inSafetensors, String tiedTo) {
    }

    static List<ExpectedTensor> expectedTensors(String fixture) throws IOException {
        JsonNode entries = new ObjectMapper().readTree(TestResources.path("fixtures/" + fixture + "/state_dict.json").toFile());
        List<ExpectedTensor> expected = new ArrayList<>();
        for (JsonNode entry : entries) {
            DType dtype = switch (entry.get("dtype").asText()) {
                case "float32" -> DType.F32;
                case "int64" -> DType.I64;
                default -> throw new AssertionError(entry);
            };
            long[] shape = new long[entry.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = entry.get("shape").get(i).asLong();
            }
            expected.add(new ExpectedTensor(entry.get("name").asText(), dtype, shape,
                    entry.path("in_safetensors").asBoolean(true), entry.path("tied_to").asText(null)));
        }
        return expected;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-proj", "pretrain/generator", "pretrain/discriminator"})
    void bothFormatsHoldEveryKeyOfTheStateDictWithBitIdenticalValues(String fixture) throws IOException {
        List<ExpectedTensor> expected = expectedTensors(fixture);
        try (Checkpoint bin = TorchCheckpointReader.open(TestResources.path("fixtures/" + fixture + "/pytorch_model.bin"));
             Checkpoint safetensors = SafetensorsReader.open(TestResources.path("fixtures/" + fixture + "/model.safetensors"))) {
            // torch keeps the state dict's insertion order, which state_dict.json records.
            assertEquals(expected.stream().map(ExpectedTensor::name).toList(), bin.names());
            assertEquals(expected.stream().filter(ExpectedTensor::inSafetensors).count(), safetensors.names().size());
            assertEquals(Map.of("format", "pt"), safetensors.metadata());
            assertEquals(Map.of(), bin.metadata());

            for (ExpectedTensor tensor : expected) {
                StoredTensor fromBin = bin.get(tensor.name());
                assertEquals(tensor.dtype(), fromBin.dtype(), tensor.name());
                assertArrayEquals(tensor.shape(), fromBin.shape(), tensor.name());
                assertEquals(tensor.inSafetensors(), safetensors.contains(tensor.name()), tensor.name());
                if (tensor.inSafetensors()) {
                    StoredTensor fromSafetensors = safetensors.get(tensor.name());
                    assertEquals(tensor.dtype(), fromSafetensors.dtype(), tensor.name());
                    assertArrayEquals(tensor.shape(), fromSafetensors.shape(), tensor.name());
                    assertEquals(fromBin.data(), fromSafetensors.data(), "bytes differ: " + tensor.name());
                    assertEquals(fromBin, fromSafetensors);
                }
                if (tensor.tiedTo() != null) {
                    assertEquals(bin.get(tensor.tiedTo()).data(), fromBin.data(), "tied " + tensor.name());
                }
            }
        }
    }

    @Test
    void generatorTiesTheLmHeadToTheWordEmbeddingsInTheBinAndOmitsItFromSafetensors() throws IOException {
        String lmHead = "generator_lm_head.weight";
        String words = "electra.embeddings.word_embeddings.weight";
        try (Checkpoint bin = Checkpoint.open(TestResources.path("fixtures/pretrain/generator/pytorch_model.bin"));
             Checkpoint safetensors = Checkpoint.open(TestResources.path("fixtures/pretrain/generator/model.safetensors"))) {
            assertEquals(28, bin.names().size());
            assertEquals(27, safetensors.names().size());
            assertFalse(safetensors.contains(lmHead));
            assertTrue(safetensors.contains("generator_lm_head.bias"));
            assertArrayEquals(bin.get(words).toFloatArray(), bin.get(lmHead).toFloatArray());
            assertArrayEquals(new long[] {120, 16}, bin.get(lmHead).shape());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pytorch_model.bin", "model.safetensors"})
    void positionIdsAreTheInt64Range(String file) throws IOException {
        try (Checkpoint checkpoint = Checkpoint.open(TestResources.path("fixtures/tiny/" + file))) {
            StoredTensor positionIds = checkpoint.get("electra.embeddings.position_ids");
            assertEquals(DType.I64, positionIds.dtype());
            assertArrayEquals(new long[] {1, 64}, positionIds.shape());
            assertArrayEquals(LongStream.range(0, 64).toArray(), positionIds.toLongArray());
        }
    }

    @Test
    void copyFloatsToFillsADirectBufferWithTheSameValuesAsToFloatArray() throws IOException {
        try (Checkpoint checkpoint = Checkpoint.open(TestResources.path("fixtures/tiny/pytorch_model.bin"))) {
            StoredTensor weight = checkpoint.get("electra.encoder.layer.0.attention.self.query.weight");
            FloatBuffer destination = java.nio.ByteBuffer.allocateDirect(4 * 1024 + 8)
                    .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
            destination.put(-1f); // writes start at the position
            weight.copyFloatsTo(destination);
            assertEquals(1 + weight.numel(), destination.position());
            float[] copied = new float[(int) weight.numel()];
            destination.get(1, copied);
            assertArrayEquals(weight.toFloatArray(), copied);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-proj", "pretrain/generator", "pretrain/discriminator"})
    void rewritingAFixtureThroughTheWriterKeepsEveryTensorBitExact(String fixture, @TempDir Path directory)
            throws IOException {
        Path copy = directory.resolve("model.safetensors");
        try (Checkpoint original = SafetensorsReader.open(TestResources.path("fixtures/" + fixture + "/model.safetensors"))) {
            List<StoredTensor> tensors = original.names().stream().map(original::get).toList();
            SafetensorsWriter.write(copy, tensors, original.metadata());
            try (Checkpoint rewritten = SafetensorsReader.open(copy)) {
                assertEquals(original.names(), rewritten.names());
                assertEquals(original.metadata(), rewritten.metadata());
                for (String name : original.names()) {
                    assertEquals(original.get(name), rewritten.get(name));
                }
            }
            // Same tensors in the same order: the data sections are identical byte for byte.
            byte[] originalBytes = Files.readAllBytes(original.file());
            byte[] copyBytes = Files.readAllBytes(copy);
            long originalData = originalBytes.length - tensors.stream().mapToLong(StoredTensor::byteSize).sum();
            long copyData = copyBytes.length - tensors.stream().mapToLong(StoredTensor::byteSize).sum();
            assertArrayEquals(java.util.Arrays.copyOfRange(originalBytes, (int) originalData, originalBytes.length),
                    java.util.Arrays.copyOfRange(copyBytes, (int) copyData, copyBytes.length));
        }
    }
}
