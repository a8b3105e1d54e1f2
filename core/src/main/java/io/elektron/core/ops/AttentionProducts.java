package io.elektron.core.ops;

import io.elektron.core.Backend;
import io.elektron.core.ShapeCheck;
import io.elektron.core.Tensor;
import io.elektron.core.autograd.Autograd;

/**
 * The two GEMMs of multi-head attention, addressing heads through leading dimensions instead of permuting.
 *
 * <p>Q, K, V come out of their Linear layers as [B, T, H] with head h occupying columns [h*d, (h+1)*d). Seen as a
 * matrix with leading dimension H, head h of batch b is the [T, d] block starting at b*T*H + h*d, so
 * scores[b, h] = Q_bh K_bh^T and context_bh = P_bh V_bh are plain GEMMs on those blocks, and the context is written
 * straight into the merged [B, T, H] layout the output projection reads. No [B, heads, T, d] copies exist.
 */
public final class AttentionProducts {
    private AttentionProducts() {
    }

    /** scores [B, heads, T, T] = Q_bh K_bh^T per batch and head (unscaled; softmax applies 1/sqrt(d)). */
    public static Tensor scores(Tensor q, Tensor k, int heads) {
        int[] dims = check("attention scores", q, k, heads);
        int batch = dims[0], time = dims[1], hidden = dims[2], d = hidden / heads;
        Backend be = q.backend();
        Tensor out = Tensor.empty(be, batch, heads, time, time);
        long tt = (long) time * time;
        long seq = (long) time * hidden; // one sequence of Q, K, V, C; head h starts h * d into it
        long headScores = (long) heads * tt; // one sequence of scores
        be.gemmBatchedGrid(false, true, time, time, d, 1f, q.storage(), 0, hidden, seq, d, k.storage(), 0, hidden,
                seq, d, 0f, out.storage(), 0, time, headScores, tt, batch, heads);
        return Autograd.record(out, "attentionScores", new Tensor[]{q, k}, gy -> {
            if (q.requiresGrad()) {
                // dQ_bh [T, d] += dS [T, T] K_bh [T, d]
                be.gemmBatchedGrid(false, false, time, d, time, 1f, gy.storage(), 0, time, headScores, tt,
                        k.storage(), 0, hidden, seq, d, 1f, q.gradForAccumulation().storage(), 0, hidden, seq, d,
                        batch, heads);
            }
            if (k.requiresGrad()) {
                // dK_bh [T, d] += dS^T Q_bh
                be.gemmBatchedGrid(true, false, time, d, time, 1f, gy.storage(), 0, time, headScores, tt,
                        q.storage(), 0, hidden, seq, d, 1f, k.gradForAccumulation().storage(), 0, hidden, seq, d,
                        batch, heads);
            }
        });
    }

    /** context [B, T, H] with context_bh = P_bh V_bh, written in merged-head layout. */
    public static Tensor context(Tensor probs, Tensor v, int heads) {
        ShapeCheck.rank("attention context", "probabilities", probs, 4);
        ShapeCheck.rank("attention context", "values", v, 3);
        int batch = v.size(0), time = v.size(1), hidden = v.size(2);
        if (hidden % heads != 0 || probs.size(0) != batch || probs.size(1) != heads || probs.size(2) != time
                || probs.size(3) != time) {
            throw new IllegalArgumentException("attention context: probabilities " + ShapeCheck.str(probs.shape())
                    + " should be [" + batch + ", " + heads + ", " + time + ", " + time + "] for values "
                    + ShapeCheck.str(v.shape()) + " (hidden divisible by " + heads + " heads)");
        }
        ShapeCheck.sameDevice("attention context", probs, v);
        int d = hidden / heads;
        Backend be = v.backend();
        Tensor out = Tensor.empty(be, batch, time, hidden);
        long tt = (long) time * time;
        long seq = (long) time * hidden;
        long headScores = (long) heads * tt;
        be.gemmBatchedGrid(false, false, time, d, time, 1f, probs.storage(), 0, time, headScores, tt, v.storage(), 0,
                hidden, seq, d, 0f, out.storage(), 0, hidden, seq, d, batch, heads);
        return Autograd.record(out, "attentionContext", new Tensor[]{probs, v}, gy -> {
            if (probs.requiresGrad()) {
                // dP [T, T] += dC_bh [T, d] V_bh^T
                be.gemmBatchedGrid(false, true, time, time, d, 1f, gy.storage(), 0, hidden, seq, d, v.storage(), 0,
                        hidden, seq, d, 1f, probs.gradForAccumulation().storage(), 0, time, headScores, tt,
                        batch, heads);
            }
            if (v.requiresGrad()) {
                // dV_bh [T, d] += P^T dC_bh
                be.gemmBatchedGrid(true, false, time, d, time, 1f, probs.storage(), 0, time, headScores, tt,
                        gy.storage(), 0, hidden, seq, d, 1f, v.gradForAccumulation().storage(), 0, hidden, seq, d,
                        batch, heads);
            }
        });
    }

    private static int[] check(String op, Tensor q, Tensor k, int heads) {
        ShapeCheck.rank(op, "queries", q, 3);
        ShapeCheck.sameShape(op + " (queries vs keys)", q, k);
        ShapeCheck.sameDevice(op, q, k);
        int hidden = q.size(2);
        if (heads <= 0 || hidden % heads != 0) {
            throw new IllegalArgumentException(op + ": hidden size " + hidden + " is not divisible by " + heads + " heads");
        }
        return new int[]{q.size(0), q.size(1), hidden};
    }
}
