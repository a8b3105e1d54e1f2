package io.elektron.cli;

import io.elektron.model.data.Dataset;

/** Small dataset manipulations for the CLI. */
final class Datasets {
    private Datasets() {
    }

    static Dataset limit(Dataset d, int n) {
        if (n < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + n);
        if (d.size() <= n) return d;
        return new Dataset(d.examples().subList(0, n), d.labelNames());
    }
}
