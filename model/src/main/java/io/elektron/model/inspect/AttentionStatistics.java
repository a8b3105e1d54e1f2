package io.elektron.model.inspect;

/**
 * Numbers that summarise attention maps. Probabilities are one example's [heads][T][T] (query row, key column), each
 * row a distribution over keys.
 */
public final class AttentionStatistics {
    private AttentionStatistics() {
    }

    /**
     * Mean entropy (nats) of each head's rows over the real query positions: ln(T) is uniform attention, 0 attends to a
     * single token. Padding columns hold probability 0 and contribute nothing.
     *
     * @param probs [heads][T][T]
     * @param real  number of non-padding positions (queries 0..real-1 are averaged)
     */
    public static double[] entropyPerHead(float[][][] probs, int real) {
        double[] out = new double[probs.length];
        for (int h = 0; h < probs.length; h++) {
            double sum = 0;
            for (int q = 0; q < real; q++) sum += entropy(probs[h][q]);
            out[h] = real == 0 ? 0 : sum / real;
        }
        return out;
    }

    /** -sum p ln p, with 0 ln 0 = 0. */
    public static double entropy(float[] distribution) {
        double e = 0;
        for (float p : distribution) if (p > 0) e -= p * Math.log(p);
        return e;
    }

    /** What query {@code q} attends to, averaged over heads: [T]. */
    public static float[] meanOverHeads(float[][][] probs, int q) {
        int t = probs[0][q].length;
        float[] out = new float[t];
        for (float[][] head : probs) for (int k = 0; k < t; k++) out[k] += head[q][k] / probs.length;
        return out;
    }

    /** Indices of the {@code k} largest values, largest first (ties: the earlier position). */
    public static int[] topIndices(float[] values, int k) {
        int n = Math.min(k, values.length);
        int[] top = new int[n];
        boolean[] used = new boolean[values.length];
        for (int i = 0; i < n; i++) {
            int best = -1;
            for (int j = 0; j < values.length; j++) if (!used[j] && (best < 0 || values[j] > values[best])) best = j;
            used[best] = true;
            top[i] = best;
        }
        return top;
    }
}
