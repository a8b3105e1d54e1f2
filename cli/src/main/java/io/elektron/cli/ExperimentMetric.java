package io.elektron.cli;

import io.elektron.model.metrics.MetricsReport;
import io.elektron.model.train.Trainer;

import java.util.function.ToDoubleFunction;

/**
 * The test scores the adversarial experiment compares, each read from a finished run. Thresholds are tuned on dev
 * only (the global one and the per-label ones, both on macro-F1), never on test.
 */
enum ExperimentMetric {
    MICRO_F1_AT_HALF("micro_f1@0.5", "micro-F1 @0.5", r -> r.testAtHalf().micro().f1()),
    MACRO_F1_AT_HALF("macro_f1@0.5", "macro-F1 @0.5", r -> r.testAtHalf().macro().f1()),
    MICRO_F1_AT_GLOBAL("micro_f1@global", "micro-F1 @global threshold from dev", r -> r.testAtGlobal().micro().f1()),
    MACRO_F1_AT_GLOBAL("macro_f1@global", "macro-F1 @global threshold from dev", r -> r.testAtGlobal().macro().f1()),
    MICRO_F1_PER_LABEL("micro_f1@per_label", "micro-F1 @per-label thresholds from dev", r -> r.testAtPerLabel().micro().f1()),
    MACRO_F1_PER_LABEL("macro_f1@per_label", "macro-F1 @per-label thresholds from dev", r -> r.testAtPerLabel().macro().f1()),
    MACRO_ROC_AUC("macro_roc_auc", "macro ROC-AUC", r -> rocAuc(r.testAtHalf()));

    /** The key in results.json and cell.json, and the plot's file name. */
    final String key;
    /** Column and axis title (the score is on test; "from dev" names where its thresholds were tuned). */
    final String title;
    private final ToDoubleFunction<Trainer.Result> read;

    ExperimentMetric(String key, String title, ToDoubleFunction<Trainer.Result> read) {
        this.key = key;
        this.title = title;
        this.read = read;
    }

    double of(Trainer.Result result) {
        return read.applyAsDouble(result);
    }

    /** The plot's file name: the key without characters a shell or a Markdown link would trip on. */
    String plotFile() {
        return key.replace("@", "-at-").replace(".", "") + ".png";
    }

    private static double rocAuc(MetricsReport m) {
        Double auc = m.rocAuc().macroAuc();
        return auc == null ? Double.NaN : auc;
    }
}
