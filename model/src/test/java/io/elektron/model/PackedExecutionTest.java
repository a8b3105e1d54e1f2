package io.elektron.model;

import io.elektron.core.PackedSequences;
import io.elektron.core.Tensor;
import io.elektron.core.TensorScope;
import io.elektron.core.autograd.GradMode;
import io.elektron.core.nn.SeedStream;
import io.elektron.core.ops.PackedAttention;
import io.elektron.model.hf.HfModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.elektron.model.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packed execution (real tokens only) against padded execution (HF's) and against the HF reference itself: same
 * logits, same hidden states at real positions, same gradients for every parameter.
 */
class PackedExecutionTest {
    // Forward outputs: float32 sums in a different order (a GEMM over N rows instead of B * T). Gradients: the same
    // relative 1e-5 with an absolute floor as the HF parity test, for values that are analytically zero.
    static final double FORWARD_ATOL = 1e-5;
    static final double GRAD_ATOL = 1e-7;
    static final double GRAD_RTOL = 1e-5;
    static final int MAX_POSITIONS = 16;

    @Test
    void packedMatchesTransformersAtRealPositions() throws Exception {
        for (String fixture : List.of("tiny", "tiny-proj")) {
            Golden g = Golden.fixture(fixture);
            ElectraForSequenceClassification model = HfModels.sequenceClassifier(g.folder(), null, 0).model();
            model.eval();
            EncoderInput in = g.input();
            try (TensorScope scope = TensorScope.open()) {
                var out = model.forwardPacked(in);
                assertClose(fixture + " logits", g.floats("logits"), out.logits().toFloatArray(), FORWARD_ATOL, 0);
                PackedInput packed = out.encoder().packed();
                int layers = out.encoder().hiddenStates().size();
                float[] hidden = g.floats("hidden_states"); // [L+1, B, T, H]
                int per = hidden.length / layers;
                int h = per / (in.batch() * in.length());
                for (int l = 0; l < layers; l++) {
                    float[] expected = realRows(Arrays.copyOfRange(hidden, l * per, (l + 1) * per), packed, h);
                    assertClose(fixture + " hidden_states[" + l + "]", expected,
                            out.encoder().hiddenStates().get(l).toFloatArray(), FORWARD_ATOL, 0);
                }
                float[] attn = g.floats("attentions"); // [L, B, heads, T, T]
                int perAttn = attn.length / out.encoder().attentions().size();
                int heads = model.config().numAttentionHeads();
                for (int l = 0; l < out.encoder().attentions().size(); l++) {
                    float[] expected = Arrays.copyOfRange(attn, l * perAttn, (l + 1) * perAttn);
                    float[] actual = PackedAttention.padded(out.encoder().attentions().get(l), heads,
                            packed.sequences(), in.length());
                    zeroOutsideRealBlocks(expected, packed, heads, in.length());
                    assertClose(fixture + " attentions[" + l + "]", expected, actual, FORWARD_ATOL, 0);
                }
                Tensor targets = Tensor.of(g.floats("labels"), in.batch(), model.config().numLabels());
                Tensor loss = ElectraForSequenceClassification.loss(out.logits(), targets, null);
                assertEquals(g.node("loss").asDouble(), loss.item(), FORWARD_ATOL, fixture + " loss");
                loss.backward();
                for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                    assertClose(fixture + " grad " + e.getKey(), g.floats("grads_all/" + e.getKey()),
                            e.getValue().grad().toFloatArray(), GRAD_ATOL, GRAD_RTOL);
                }
            }
        }
    }

    /** Mixed lengths with a length-1 sequence and one at the maximum; pairs; every sequence the same length. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mixed", "pairs", "equal", "single"})
    void packedAndPaddedGiveTheSameLogitsAndGradients(String batchKind) {
        int[] lengths = switch (batchKind) {
            case "mixed" -> new int[]{5, 1, MAX_POSITIONS, 9, 2};
            case "pairs" -> new int[]{7, 12, 4};
            case "equal" -> new int[]{6, 6, 6, 6};
            default -> new int[]{3};
        };
        EncoderInput in = batch(lengths, batchKind.equals("pairs"), 7);
        Map<String, float[]> padded = logitsAndGradients(in, false);
        Map<String, float[]> packed = logitsAndGradients(in, true);
        assertEquals(padded.keySet(), packed.keySet());
        assertClose("logits", padded.get("logits"), packed.get("logits"), FORWARD_ATOL, 0);
        for (String name : padded.keySet()) {
            if (name.equals("logits")) continue;
            assertClose("grad " + name, padded.get(name), packed.get(name), GRAD_ATOL, GRAD_RTOL);
        }
    }

    @Test
    void paddedLayoutOfPackedOutputMatchesPaddedExecutionAtRealPositions() {
        EncoderInput in = batch(new int[]{4, 9, 1}, false, 3);
        ElectraForSequenceClassification model = model();
        model.eval();
        try (TensorScope scope = TensorScope.open(); GradMode off = GradMode.disabled()) {
            float[] padded = model.forward(in).encoder().lastHiddenState().toFloatArray();
            Tensor unpacked = model.forwardPacked(in).encoder().paddedLastHiddenState();
            assertEquals(List.of(3, 9, 24), Arrays.stream(unpacked.shape()).boxed().toList());
            float[] got = unpacked.toFloatArray();
            int hidden = 24;
            for (int row = 0; row < in.batch() * in.length(); row++) {
                boolean real = in.attentionMask()[row] != 0;
                for (int c = 0; c < hidden; c++) {
                    float expected = real ? padded[row * hidden + c] : 0f;
                    assertEquals(expected, got[row * hidden + c], FORWARD_ATOL, "row " + row + " column " + c);
                }
            }
        }
    }

    @Test
    void refusesBatchesPackingCannotRepresent() {
        int[] ids = {2, 5, 0, 2, 0, 0};
        assertThrows(IllegalArgumentException.class, () -> PackedInput.of(new EncoderInput(2, 3, ids,
                new int[]{1, 1, 0, 0, 0, 0}, new int[6])), "a row without real tokens");
        assertThrows(IllegalArgumentException.class, () -> PackedInput.of(new EncoderInput(2, 3, ids,
                new int[]{1, 0, 1, 1, 0, 0}, new int[6])), "a real token after padding");
        PackedInput p = PackedInput.of(new EncoderInput(2, 3, ids, new int[]{1, 1, 0, 1, 0, 0}, new int[6]));
        assertEquals(PackedSequences.ofLengths(2, 1), p.sequences());
        assertEquals(List.of(0, 1, 3), Arrays.stream(p.paddedRows()).boxed().toList());
        assertEquals(List.of(0, 1, 0), Arrays.stream(p.positionIds()).boxed().toList());
    }

    private static ElectraForSequenceClassification model() {
        ElectraConfig c = ElectraConfig.of(40, 16, 24, 2, 3, 40, MAX_POSITIONS, List.of("a", "b", "c", "d"));
        return new ElectraForSequenceClassification(c, new SplittableRandom(11), new SeedStream(5));
    }

    /** Logits and every parameter's gradient after a BCE backward, padded or packed, dropout off. */
    private static Map<String, float[]> logitsAndGradients(EncoderInput in, boolean packed) {
        ElectraForSequenceClassification model = model();
        model.eval();
        Map<String, float[]> out = new LinkedHashMap<>();
        try (TensorScope scope = TensorScope.open()) {
            Tensor logits = (packed ? model.forwardPacked(in) : model.forward(in)).logits();
            out.put("logits", logits.toFloatArray());
            float[] targets = new float[in.batch() * 4];
            for (int i = 0; i < targets.length; i += 3) targets[i] = 1f;
            ElectraForSequenceClassification.loss(logits, Tensor.of(targets, in.batch(), 4), null).backward();
            for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
                Tensor grad = e.getValue().grad();
                out.put(e.getKey(), grad == null ? new float[(int) e.getValue().numel()] : grad.toFloatArray());
            }
        }
        return out;
    }

    /** A right-padded batch of random ids; with pairs, the second half of each sequence has token type 1. */
    static EncoderInput batch(int[] lengths, boolean pairs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int b = lengths.length;
        int t = Arrays.stream(lengths).max().orElseThrow();
        int[] ids = new int[b * t];
        int[] mask = new int[b * t];
        int[] types = new int[b * t];
        for (int s = 0; s < b; s++) {
            for (int p = 0; p < lengths[s]; p++) {
                ids[s * t + p] = 1 + r.nextInt(39);
                mask[s * t + p] = 1;
                types[s * t + p] = pairs && p >= lengths[s] / 2 ? 1 : 0;
            }
        }
        return new EncoderInput(b, t, ids, mask, types);
    }

    private static float[] realRows(float[] padded, PackedInput packed, int hidden) {
        float[] out = new float[packed.tokens() * hidden];
        for (int i = 0; i < packed.tokens(); i++) {
            System.arraycopy(padded, packed.paddedRows()[i] * hidden, out, i * hidden, hidden);
        }
        return out;
    }

    /** HF's maps hold values for padded query rows too; packed execution has no such rows. */
    private static void zeroOutsideRealBlocks(float[] attn, PackedInput packed, int heads, int t) {
        PackedSequences seqs = packed.sequences();
        for (int s = 0; s < seqs.count(); s++) {
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < t; j++) {
                        if (i >= seqs.length(s) || j >= seqs.length(s)) {
                            int at = ((s * heads + h) * t + i) * t + j;
                            assertTrue(i >= seqs.length(s) || attn[at] == 0f, "HF gives padded keys weight 0");
                            attn[at] = 0f;
                        }
                    }
                }
            }
        }
    }
}
