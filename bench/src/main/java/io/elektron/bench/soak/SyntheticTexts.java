package io.elektron.bench.soak;

import io.elektron.model.data.Dataset;
import io.elektron.model.data.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled sentences made of the tiny fixture vocabulary's words, with labels that follow from the words (so the loss
 * falls and evaluation scores move, as in a real run). Three in four are longer than the maximum length and get
 * truncated, one in four is short: every training batch of 16 is then padded to the maximum (a batch without a long
 * example has odds of 4^-16), with padding inside it, and dev batches (sorted by length) have the same shapes every
 * epoch. So the core's storage pool, which keeps released buffers per size class, has every buffer it will need after
 * the first epoch, and native memory that grows later is a leak. (With lengths spread evenly, a batch shape first
 * seen after 3,100 steps added 22.8 MiB of pooled buffers in one go: see docs/reliability.md.)
 */
final class SyntheticTexts {
    static final List<String> LABELS = List.of("positive", "negative", "question", "negated");
    private static final String[] POSITIVE = {"good", "happy", "love"};
    private static final String[] NEGATIVE = {"bad", "sad", "hate"};
    private static final String[] FILLER = {"the", "cafe", "model", "electra", "world", "test", "run", "running", "you",
            "we", "very", "and", "or", "are", "is", "this", "hello", "unaffable", "tested"};

    private SyntheticTexts() {
    }

    static Dataset generate(long seed, int count, int maxWords) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean positive = random.nextInt(3) == 0;
            boolean negative = random.nextInt(3) == 0;
            boolean question = random.nextBoolean();
            boolean negated = random.nextInt(4) == 0;
            StringBuilder text = new StringBuilder();
            int words = random.nextInt(4) == 0 ? 2 + random.nextInt(maxWords / 2) : maxWords + random.nextInt(8);
            for (int w = 0; w < words; w++) {
                if (w > 0) text.append(' ');
                int pick = random.nextInt(words);
                if (positive && pick == 0) text.append(POSITIVE[random.nextInt(POSITIVE.length)]);
                else if (negative && pick == 1) text.append(NEGATIVE[random.nextInt(NEGATIVE.length)]);
                else if (negated && pick == 2) text.append("not");
                else text.append(FILLER[random.nextInt(FILLER.length)]);
            }
            text.append(question ? " ?" : " .");
            String s = text.toString();
            boolean[] labels = {containsAny(s, POSITIVE), containsAny(s, NEGATIVE), question, containsAny(s, new String[]{"not"})};
            out.add(new Example(s, null, labels, Integer.toString(i)));
        }
        return new Dataset(out, LABELS);
    }

    private static boolean containsAny(String text, String[] words) {
        for (String w : words) {
            if ((" " + text + " ").contains(" " + w + " ")) return true;
        }
        return false;
    }
}
