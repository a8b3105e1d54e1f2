package io.elektron.core.ops;

import io.elektron.core.Backend;
import io.elektron.core.GemmGroup;
import io.elektron.core.PackedSequences;
import io.elektron.core.RowSegments;
import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/**
 * Multi-head attention over a packed batch: Q, K, V are [N, H] with the batch's real tokens one sequence after
 * another ({@link PackedSequences}), and every sequence attends only to itself, at its own length. No padding is
 * computed and no mask is needed: a sequence's keys are exactly its real tokens.
 *
 * <p>Scores and probabilities are one flat tensor [S] holding, for sequence s and head h in that order, a row-major
 * [T_s, T_s] block; S = heads * sum of T_s^2. Head h of sequence s is the [T_s, d] block of Q (K, V, context) at row
 * start(s), column h*d, leading dimension H, so the products are GEMMs on those blocks (one {@link GemmGroup} per
 * product) and the context lands in merged-head layout, as in {@link AttentionProducts}.
 */
public final class PackedAttention {
    private PackedAttention() {
    }

    /** Number of score elements S for this packing and head count. */
    public static long scoreCount(PackedSequences packing, int heads) {
        long total = 0;
        for (int s = 0; s < packing.count(); s++) total += (long) heads * packing.length(s) * packing.length(s);
        return total;
    }

    /** Offset of sequence s, head h's [T_s, T_s] block in the flat scores. */
    public static long scoreOffset(PackedSequences packing, int heads, int sequence, int head) {
        long offset = 0;
        for (int s = 0; s < sequence; s++) offset += (long) heads * packing.length(s) * packing.length(s);
        return offset + (long) head * packing.length(sequence) * packing.length(sequence);
    }

    /** scores [S] = Q_sh K_sh^T per sequence and head (unscaled; the softmax applies 1/sqrt(d)). */
    public static Tensor scores(Tensor q, Tensor k, int heads, PackedSequences packing) {
        Geometry g = Geometry.of("packed attention scores", q, heads, packing);
        ShapeCheck.sameShape("packed attention scores (queries vs keys)", q, k);
        ShapeCheck.sameDevice("packed attention scores", q, k);
        Backend be = q.backend();
        Tensor out = Tensor.empty(be, (int) g.scoreCount);
        be.gemmGrouped(false, true, 1f, q.storage(), k.storage(), 0f, out.storage(), g.scoreShaped);
        return Autograd.record(out, "packedAttentionScores", new Tensor[]{q, k}, gy -> {
            // dQ_sh [T, d] += dS [T, T] K_sh; dK_sh += dS^T Q_sh
            if (q.requiresGrad()) {
                be.gemmGrouped(false, false, 1f, gy.storage(), k.storage(), 1f, q.gradForAccumulation().storage(),
                        g.contextShaped);
            }
            if (k.requiresGrad()) {
                be.gemmGrouped(true, false, 1f, gy.storage(), q.storage(), 1f, k.gradForAccumulation().storage(),
                        g.contextShaped);
            }
        });
    }

    /** Row softmax of scale * scores within every [T_s, T_s] block. */
    public static Tensor softmax(Tensor scores, int heads, PackedSequences packing, float scale) {
        return softmax(scores, heads, packing, scale, false);
    }

    /** The same, written over the scores: inference only (grad mode off), where nothing reads them again. */
    public static Tensor softmaxInPlace(Tensor scores, int heads, PackedSequences packing, float scale) {
        InPlace.requireGradModeOff("packed softmaxInPlace");
        return softmax(scores, heads, packing, scale, true);
    }

    private static Tensor softmax(Tensor scores, int heads, PackedSequences packing, float scale, boolean inPlace) {
        RowSegments segments = segments(packing, heads);
        long expected = segments.elements();
        if (scores.rank() != 1 || scores.numel() != expected) {
            throw new IllegalArgumentException("packed softmax: scores " + ShapeCheck.str(scores.shape()) + " should be ["
                    + expected + "] for " + packing + " and " + heads + " heads");
        }
        Backend be = scores.backend();
        Tensor out = inPlace ? scores : Tensor.empty(be, scores.shape());
        be.softmaxForwardSegments(segments, scores.storage(), scale, out.storage());
        return Autograd.record(out, "packedSoftmax", new Tensor[]{scores}, gy ->
                be.softmaxBackwardSegments(segments, out.storage(), gy.storage(), scale,
                        scores.gradForAccumulation().storage()));
    }

    /** context [N, H] with context_sh = P_sh V_sh, in merged-head layout. */
    public static Tensor context(Tensor probs, Tensor v, int heads, PackedSequences packing) {
        Geometry g = Geometry.of("packed attention context", v, heads, packing);
        if (probs.rank() != 1 || probs.numel() != g.scoreCount) {
            throw new IllegalArgumentException("packed attention context: probabilities " + ShapeCheck.str(probs.shape())
                    + " should be [" + g.scoreCount + "] for " + packing + " and " + heads + " heads");
        }
        ShapeCheck.sameDevice("packed attention context", probs, v);
        Backend be = v.backend();
        Tensor out = Tensor.empty(be, v.shape());
        be.gemmGrouped(false, false, 1f, probs.storage(), v.storage(), 0f, out.storage(), g.contextShaped);
        return Autograd.record(out, "packedAttentionContext", new Tensor[]{probs, v}, gy -> {
            // dP [T, T] += dC_sh V_sh^T; dV_sh [T, d] += P^T dC_sh
            if (probs.requiresGrad()) {
                be.gemmGrouped(false, true, 1f, gy.storage(), v.storage(), 1f, probs.gradForAccumulation().storage(),
                        g.scoreShaped);
            }
            if (v.requiresGrad()) {
                be.gemmGrouped(true, false, 1f, probs.storage(), gy.storage(), 1f, v.gradForAccumulation().storage(),
                        g.contextShaped);
            }
        });
    }

    /**
     * Probabilities [S] spread into the padded layout [B, heads, T, T] (zero outside each sequence's block), for
     * callers that compare or display attention maps. Host copy, no gradient.
     */
    public static float[] padded(Tensor probs, int heads, PackedSequences packing, int length) {
        if (length < packing.maxLength()) {
            throw new IllegalArgumentException("padded length " + length + " is shorter than the longest sequence "
                    + packing.maxLength());
        }
        float[] flat = probs.toFloatArray();
        float[] out = new float[packing.count() * heads * length * length];
        int src = 0;
        for (int s = 0; s < packing.count(); s++) {
            int t = packing.length(s);
            for (int h = 0; h < heads; h++) {
                int dst = (s * heads + h) * length * length;
                for (int i = 0; i < t; i++, src += t) System.arraycopy(flat, src, out, dst + i * length, t);
            }
        }
        return out;
    }

    private static RowSegments segments(PackedSequences packing, int heads) {
        int count = packing.count() * heads;
        long[] offsets = new long[count];
        int[] rows = new int[count];
        long offset = 0;
        for (int s = 0, g = 0; s < packing.count(); s++) {
            int t = packing.length(s);
            for (int h = 0; h < heads; h++, g++) {
                offsets[g] = offset;
                rows[g] = t;
                offset += (long) t * t;
            }
        }
        return new RowSegments(offsets, rows, rows.clone());
    }

    /**
     * The two GEMM shapes of attention on a packed batch. "Score-shaped": [T, T] results at the score offsets from
     * [T, d] operands in the activations (QK^T, dC V^T). "Context-shaped": [T, d] results in the activations from a
     * [T, T] operand at the score offsets and a [T, d] operand (PV, dS K, and with a transposed first operand dS^T Q,
     * P^T dC; a transposed [T, T] block has the same leading dimension).
     */
    private record Geometry(long scoreCount, GemmGroup scoreShaped, GemmGroup contextShaped) {
        static Geometry of(String op, Tensor activations, int heads, PackedSequences packing) {
            ShapeCheck.rank(op, "activations", activations, 2);
            int hidden = activations.size(1);
            if (heads <= 0 || hidden % heads != 0) {
                throw new IllegalArgumentException(op + ": hidden size " + hidden + " is not divisible by " + heads
                        + " heads");
            }
            if (activations.size(0) != packing.tokens()) {
                throw new IllegalArgumentException(op + ": activations " + ShapeCheck.str(activations.shape())
                        + " should have one row per packed token (" + packing.tokens() + ")");
            }
            int d = hidden / heads;
            int count = packing.count() * heads;
            int[] t = new int[count];
            int[] dims = new int[count];
            int[] lhidden = new int[count];
            long[] rowOffsets = new long[count];
            long[] scoreOffsets = new long[count];
            long offset = 0;
            for (int s = 0, g = 0; s < packing.count(); s++) {
                int len = packing.length(s);
                for (int h = 0; h < heads; h++, g++) {
                    t[g] = len;
                    dims[g] = d;
                    lhidden[g] = hidden;
                    rowOffsets[g] = (long) packing.start(s) * hidden + (long) h * d;
                    scoreOffsets[g] = offset;
                    offset += (long) len * len;
                }
            }
            if (offset > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": " + offset + " attention scores exceed one tensor's limit");
            }
            GemmGroup scoreShaped = new GemmGroup(t, t, dims, rowOffsets, lhidden, rowOffsets, lhidden, scoreOffsets, t);
            GemmGroup contextShaped = new GemmGroup(t, dims, t, scoreOffsets, t, rowOffsets, lhidden, rowOffsets,
                    lhidden);
            return new Geometry(offset, scoreShaped, contextShaped);
        }
    }
}
