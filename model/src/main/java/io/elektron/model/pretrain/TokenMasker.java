package io.elektron.model.pretrain;

import io.elektron.model.EncoderInput;
import io.elektron.tokenizer.WordPieceTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chooses the positions to mask in a batch (dynamic masking: a new choice every time a sequence is seen). Special
 * tokens ([CLS], [SEP], [PAD], ...) and padding are never chosen. With whole-word masking a word is a maskable token
 * followed by its {@code ##} continuations, chosen or left as one.
 *
 * <p>The choice is a pure function of the batch and the generator passed in, so a trainer that seeds the generator
 * from (run seed, micro-batch index) reproduces every mask, also after a resume.
 */
public final class TokenMasker {
    private final int maskId;
    private final boolean[] special; // [V]
    private final boolean[] continuation; // [V] token starts with the continuing-subword prefix
    private final MaskingOptions options;

    /**
     * @param special      per vocabulary id: never masked
     * @param continuation per vocabulary id: a word continuation ({@code ##...}); only read for whole-word masking
     */
    public TokenMasker(int maskId, boolean[] special, boolean[] continuation, MaskingOptions options) {
        if (maskId < 0 || maskId >= special.length) throw new IllegalArgumentException("mask id " + maskId + " is outside the vocabulary");
        if (continuation.length != special.length) throw new IllegalArgumentException("special and continuation tables differ in size");
        this.maskId = maskId;
        this.special = special.clone();
        this.continuation = continuation.clone();
        this.options = options;
    }

    /** Special and continuation tables from a tokenizer's vocabulary. */
    public static TokenMasker forTokenizer(WordPieceTokenizer tokenizer, MaskingOptions options) {
        if (tokenizer.maskId() < 0) throw new IllegalArgumentException("the vocabulary has no [MASK] token: it cannot be used for pre-training");
        int v = tokenizer.vocabSize();
        boolean[] special = new boolean[v];
        boolean[] continuation = new boolean[v];
        String prefix = tokenizer.options().continuingSubwordPrefix();
        for (int id = 0; id < v; id++) {
            special[id] = tokenizer.isSpecialId(id);
            String token = tokenizer.idToToken(id);
            continuation[id] = token != null && !prefix.isEmpty() && token.startsWith(prefix) && token.length() > prefix.length();
        }
        return new TokenMasker(tokenizer.maskId(), special, continuation, options);
    }

    public MaskingOptions options() {
        return options;
    }

    public int maskId() {
        return maskId;
    }

    public MaskedBatch mask(EncoderInput original, SplittableRandom random) {
        int b = original.batch();
        int t = original.length();
        int[] ids = original.inputIds();
        int[] attention = original.attentionMask();
        int[] maskedIds = ids.clone();
        List<Integer> chosen = new ArrayList<>();
        for (int row = 0; row < b; row++) {
            List<int[]> words = words(ids, attention, row * t, t);
            int n = 0;
            for (int[] w : words) n += w.length;
            if (n == 0) continue;
            List<int[]> picked = options.mode() == MaskingOptions.Mode.PER_ROW_COUNT
                    ? pickCount(words, Math.max(1, (int) Math.rint(options.probability() * n)), random)
                    : pickBernoulli(words, random);
            for (int[] w : picked) for (int p : w) chosen.add(p);
        }
        int[] positions = chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] targets = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            targets[i] = ids[positions[i]];
            // The rest keep their token but are still predicted (ELECTRA's original code shows [MASK] at 85%).
            if (options.maskTokenRatio() >= 1f || random.nextDouble() < options.maskTokenRatio()) maskedIds[positions[i]] = maskId;
        }
        EncoderInput masked = new EncoderInput(b, t, maskedIds, attention, original.tokenTypeIds());
        return new MaskedBatch(original, masked, positions, targets);
    }

    /** The maskable tokens of one row grouped into the units that are chosen together. */
    private List<int[]> words(int[] ids, int[] attention, int start, int t) {
        List<int[]> words = new ArrayList<>();
        int[] current = null;
        int currentLength = 0;
        int previous = -2;
        for (int i = start; i < start + t; i++) {
            int id = ids[i];
            if (attention[i] == 0 || id < 0 || id >= special.length || special[id]) continue;
            boolean joins = options.wholeWord() && continuation[id] && previous == i - 1 && current != null;
            if (joins) {
                if (currentLength == current.length) current = Arrays.copyOf(current, current.length * 2);
                current[currentLength++] = i;
            } else {
                if (current != null) words.add(Arrays.copyOf(current, currentLength));
                current = new int[4];
                current[0] = i;
                currentLength = 1;
            }
            previous = i;
        }
        if (current != null) words.add(Arrays.copyOf(current, currentLength));
        return words;
    }

    /**
     * Words in random order until k tokens are covered; a word that would overshoot k is skipped (as HF's whole-word
     * collator does), except that a row always gets at least one word.
     */
    private static List<int[]> pickCount(List<int[]> words, int k, SplittableRandom random) {
        int[] order = new int[words.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        List<int[]> out = new ArrayList<>();
        int covered = 0;
        for (int i : order) {
            if (covered >= k) break;
            int[] w = words.get(i);
            if (covered > 0 && covered + w.length > k) continue;
            out.add(w);
            covered += w.length;
        }
        return out;
    }

    private List<int[]> pickBernoulli(List<int[]> words, SplittableRandom random) {
        List<int[]> out = new ArrayList<>();
        for (int[] w : words) if (random.nextDouble() < options.probability()) out.add(w);
        return out;
    }
}
