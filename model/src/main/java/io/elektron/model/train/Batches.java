package io.elektron.model.train;

import io.elektron.model.EncoderInput;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Groups examples into batches padded only to their longest member (dynamic padding). Training batches are shuffled
 * with a generator seeded by (seed, epoch), so an epoch's order does not depend on what ran before it — a resumed run
 * sees the same batches as an uninterrupted one. Inference batches are sorted by length so padding is rarely computed.
 */
public final class Batches {
    private Batches() {
    }

    /** A padded batch and the examples it holds, in batch order. */
    public record Batch(EncoderInput input, List<TokenizedExample> examples) {
        /** Targets [B * labels] row-major. */
        public float[] targets(int labels) {
            float[] out = new float[examples.size() * labels];
            for (int i = 0; i < examples.size(); i++) {
                float[] t = examples.get(i).targets();
                if (t == null) throw new IllegalStateException("example " + (examples.get(i).index() + 1) + " has no labels");
                System.arraycopy(t, 0, out, i * labels, labels);
            }
            return out;
        }
    }

    public static List<Batch> shuffled(List<TokenizedExample> examples, int batchSize, long seed, int epoch, int padId) {
        List<TokenizedExample> order = new ArrayList<>(examples);
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            TokenizedExample tmp = order.get(i);
            order.set(i, order.get(j));
            order.set(j, tmp);
        }
        return chunk(order, batchSize, padId);
    }

    public static List<Batch> byLength(List<TokenizedExample> examples, int batchSize, int padId) {
        List<TokenizedExample> order = new ArrayList<>(examples);
        order.sort(Comparator.comparingInt(TokenizedExample::length));
        return chunk(order, batchSize, padId);
    }

    public static List<Batch> inOrder(List<TokenizedExample> examples, int batchSize, int padId) {
        return chunk(examples, batchSize, padId);
    }

    private static List<Batch> chunk(List<TokenizedExample> order, int batchSize, int padId) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        List<Batch> out = new ArrayList<>();
        for (int start = 0; start < order.size(); start += batchSize) {
            List<TokenizedExample> part = order.subList(start, Math.min(order.size(), start + batchSize));
            out.add(new Batch(pad(part, padId), List.copyOf(part)));
        }
        return out;
    }

    static EncoderInput pad(List<TokenizedExample> part, int padId) {
        int t = 1;
        for (TokenizedExample e : part) t = Math.max(t, e.length());
        int b = part.size();
        int[] ids = new int[b * t];
        int[] mask = new int[b * t];
        int[] types = new int[b * t];
        java.util.Arrays.fill(ids, padId);
        for (int i = 0; i < b; i++) {
            TokenizedExample e = part.get(i);
            System.arraycopy(e.inputIds(), 0, ids, i * t, e.length());
            System.arraycopy(e.tokenTypeIds(), 0, types, i * t, e.length());
            java.util.Arrays.fill(mask, i * t, i * t + e.length(), 1);
        }
        return new EncoderInput(b, t, ids, mask, types);
    }
}
