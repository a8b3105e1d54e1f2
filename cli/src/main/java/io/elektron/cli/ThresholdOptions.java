package io.elektron.cli;

import io.elektron.model.train.Thresholds;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Which decision thresholds eval and predict apply: one number from the command line, or those tuned in training. */
final class ThresholdOptions {
    /** The tuned thresholds in thresholds.json that {@code --thresholds} picks from. */
    enum Kind {
        GLOBAL("global"), PER_LABEL("per-label");

        private final String option;

        Kind(String option) {
            this.option = option;
        }

        // picocli matches option values against toString() too, so users type "per-label", not "PER_LABEL".
        @Override
        public String toString() {
            return option;
        }
    }

    /**
     * The thresholds a command applies, one per label (all equal for a global threshold).
     *
     * @param values {@code [L]} thresholds
     * @param description which thresholds these are and where they came from, for the user
     */
    record Chosen(float[] values, String description) {
        Chosen {
            values = values.clone();
        }

        @Override
        public float[] values() {
            return values.clone();
        }
    }

    @Option(names = "--threshold", description = "One decision threshold for every label, in (0, 1); replaces the tuned global threshold in thresholds.json.")
    Float threshold;

    @Option(names = "--thresholds", defaultValue = "global", description = "Tuned thresholds from thresholds.json: global (one for every label; 0.5 when the folder has no thresholds.json) or per-label (each label's own, saved in best/ at the end of training). Default: ${DEFAULT-VALUE}.")
    Kind kind;

    /** Checks the options on their own, so a bad command line fails before the model loads. */
    void validate() {
        if (threshold == null) return;
        // 0 and 1 are no decision rule: every label, or none, for every text.
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("--threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        if (kind == Kind.PER_LABEL) {
            throw new IllegalArgumentException("--threshold " + threshold + " sets one threshold for every label and cannot be"
                    + " combined with --thresholds per-label; drop one of them");
        }
    }

    /** The thresholds to apply to the model in {@code folder}, whose labels are {@code labelNames}; after {@link #validate}. */
    Chosen choose(Path folder, List<String> labelNames) throws IOException {
        // An explicit number needs nothing from the folder, so a broken thresholds.json does not stand in its way.
        if (threshold != null) return new Chosen(everyLabel(labelNames, threshold), "global " + threshold + " (--threshold)");
        Thresholds saved = Thresholds.read(folder, labelNames);
        if (kind == Kind.PER_LABEL) {
            if (!saved.saved()) {
                throw new IllegalArgumentException("--thresholds per-label: " + saved.file()
                        + " does not exist; per-label thresholds are saved in best/ at the end of training");
            }
            if (!saved.hasPerLabel()) {
                throw new IllegalArgumentException("--thresholds per-label: " + saved.file()
                        + " has no 'per_label' thresholds (best/ at the end of training has them); use --thresholds global");
            }
            return new Chosen(saved.perLabel(), "per-label, tuned on dev (" + Thresholds.FILE_NAME + ")");
        }
        if (!saved.saved()) {
            return new Chosen(everyLabel(labelNames, saved.global()), "global " + saved.global() + " (no " + Thresholds.FILE_NAME + " in the model folder)");
        }
        return new Chosen(everyLabel(labelNames, saved.global()), "global " + saved.global() + ", tuned on dev (" + Thresholds.FILE_NAME + ")");
    }

    private static float[] everyLabel(List<String> labelNames, float threshold) {
        float[] values = new float[labelNames.size()];
        Arrays.fill(values, threshold);
        return values;
    }
}
