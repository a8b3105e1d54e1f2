package io.elektron.model.train;

import java.util.Locale;

/** How feature extraction turns a sequence's hidden states into its output. */
public enum Pooling {
    /** Every real token's last hidden state: [T, H]. */
    NONE,
    /** The first token's ([CLS]) last hidden state: [H]. */
    CLS,
    /** The mean over real tokens (sentence-transformers' pooling): [H]. */
    MEAN;

    /** none, cls or mean. */
    public static Pooling parse(String name) {
        for (Pooling p : values()) if (p.name().toLowerCase(Locale.ROOT).equals(name)) return p;
        throw new IllegalArgumentException("pooling must be none, cls or mean, got '" + name + "'");
    }
}
