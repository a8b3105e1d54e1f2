package io.elektron.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.model.hf.HfModels;
import io.elektron.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real pretrained all-MiniLM-L6-v2 encoder (../shared/models/minilm-l6-electra, bare `embeddings.*` keys) against
 * ONNX Runtime's last_hidden_state on the same ids. Skipped when ../shared is absent (a user's fresh clone).
 */
class MiniLmReferenceTest {
    static Path folder() {
        Path p = Path.of(System.getProperty("elektron.shared", "../../shared")).resolve("models/minilm-l6-electra");
        Assumptions.assumeTrue(Files.isRegularFile(p.resolve("model.safetensors")),
                "skipped: the real MiniLM checkpoint is not at " + p.toAbsolutePath() + " (only in the development workspace)");
        return p;
    }

    @Test
    void lastHiddenStateMatchesOnnxRuntime() throws Exception {
        Path dir = folder();
        JsonNode ref = new ObjectMapper().readTree(dir.resolve("reference_outputs.json").toFile());
        int b = ref.get("input_ids").size();
        int t = ref.get("input_ids").get(0).size();
        int[] ids = new int[b * t], mask = new int[b * t], types = new int[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = ref.get("input_ids").get(i).get(j).asInt();
                mask[i * t + j] = ref.get("attention_mask").get(i).get(j).asInt();
                types[i * t + j] = ref.get("token_type_ids").get(i).get(j).asInt();
            }
        }
        // Our tokenizer gives the reference's ids for the reference's sentences.
        WordPieceTokenizer tok = WordPieceTokenizer.fromFolder(dir);
        for (int i = 0; i < b; i++) {
            int[] got = tok.encodeIds(ref.get("sentences").get(i).asText());
            assertArrayEquals(java.util.Arrays.copyOfRange(ids, i * t, i * t + got.length), got, "sentence " + i);
        }
        ElectraModel model = HfModels.encoder(dir, 0).model();
        model.eval();
        try (TensorScope s = TensorScope.open(); GradMode off = GradMode.disabled()) {
            float[] h = model.forward(new EncoderInput(b, t, ids, mask, types)).lastHiddenState().toFloatArray();
            int hid = 384;
            double worstReal = 0;
            double worstPad = 0;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    JsonNode row = ref.get("last_hidden_state").get(i).get(j);
                    for (int k = 0; k < hid; k++) {
                        double d = Math.abs(h[(i * t + j) * hid + k] - row.get(k).asDouble());
                        if (mask[i * t + j] == 1) worstReal = Math.max(worstReal, d);
                        else worstPad = Math.max(worstPad, d);
                    }
                }
            }
            assertTrue(worstReal <= 1e-4, "real tokens differ by " + worstReal);
            assertTrue(worstPad <= 1e-3, "padding positions differ by " + worstPad);
            System.out.println("MiniLM vs ONNX Runtime: real tokens max |diff| " + worstReal + ", padding " + worstPad);
        }
    }
}
