package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.elektron.model.io.AtomicFiles;
import io.elektron.model.metrics.LabelScores;
import io.elektron.model.metrics.MetricsReport;
import io.elektron.model.train.StepCost;
import io.elektron.model.train.StepTiming;
import io.elektron.model.train.Trainer;
import io.elektron.model.train.TrainingOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A finished (method, seed) run of the adversarial experiment: its test scores, its exact options, and its cost.
 * Written as {@code cell.json} into the cell's run folder after everything else there, so its presence means "done":
 * a resumed experiment skips the cell and reads its numbers from this file.
 *
 * @param trivialGlobalThreshold the dev-tuned global threshold predicts every label for every test example (threshold
 *                               tuning on macro-F1 can prefer that to a poor classifier; the scores at it are then
 *                               the label priors' and say nothing about the method)
 */
record ExperimentCell(String method, long seed, JsonNode options, int bestEpoch, double globalThreshold,
                      boolean trivialGlobalThreshold, Map<ExperimentMetric, Double> scores, StepCost cost,
                      double trainSeconds) {
    static final String FILE = "cell.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    static ExperimentCell of(String method, Trainer.Result r, TrainingOptions options) {
        Map<ExperimentMetric, Double> scores = new EnumMap<>(ExperimentMetric.class);
        for (ExperimentMetric m : ExperimentMetric.values()) scores.put(m, m.of(r));
        double seconds = r.timings().stream().mapToDouble(StepTiming::seconds).sum();
        // Through text and back, as the stored file will be read: a resumed experiment's report equals a fresh one's.
        JsonNode optionsJson;
        try {
            optionsJson = JSON.readTree(JSON.writeValueAsBytes(JSON.valueToTree(options)));
        } catch (IOException e) {
            throw new IllegalStateException("training options did not serialise: " + e.getMessage(), e);
        }
        return new ExperimentCell(method, options.seed(), optionsJson, r.bestEpoch(), r.globalThreshold().threshold(),
                predictsEverything(r.testAtGlobal()), scores, StepCost.of(r.timings()), seconds);
    }

    /** Every label predicted for every example. */
    static boolean predictsEverything(MetricsReport m) {
        for (LabelScores l : m.perLabel()) if (l.counts().predictedPositives() < m.numExamples()) return false;
        return true;
    }

    ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("method", method);
        n.put("seed", seed);
        n.set("options", options);
        n.put("best_epoch", bestEpoch);
        n.put("global_threshold", globalThreshold);
        n.put("trivial_global_threshold", trivialGlobalThreshold);
        ObjectNode test = n.putObject("test");
        for (var e : scores.entrySet()) test.put(e.getKey().key, e.getValue());
        ObjectNode c = n.putObject("cost");
        c.put("median_seconds_per_step", cost.medianSecondsPerStep());
        c.put("tokens_per_second", cost.tokensPerSecond());
        c.put("passes_per_step", cost.passesPerStep());
        c.put("measured_steps", cost.measuredSteps());
        c.put("warmup_steps_excluded", cost.warmupSteps());
        c.put("train_seconds", trainSeconds);
        return n;
    }

    void write(Path runDir) throws IOException {
        AtomicFiles.write(runDir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson()));
    }

    /** The finished cell in {@code runDir}, or null when it has not finished. */
    static ExperimentCell read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) return null;
        try {
            JsonNode n = JSON.readTree(file.toFile());
            Map<ExperimentMetric, Double> scores = new EnumMap<>(ExperimentMetric.class);
            for (ExperimentMetric m : ExperimentMetric.values()) scores.put(m, number(n.path("test"), m.key));
            JsonNode c = n.path("cost");
            StepCost cost = new StepCost(c.path("measured_steps").asInt(), c.path("warmup_steps_excluded").asInt(),
                    number(c, "median_seconds_per_step"), number(c, "tokens_per_second"),
                    number(c, "passes_per_step"));
            // The step times the cell recorded are the source; the summary above is what the build that finished the
            // cell made of them. Derived again here, every cell of a report follows one definition of cost, also
            // when the cells were finished by different builds.
            List<StepTiming> timings = Trainer.readStepTimes(runDir.resolve(Trainer.STEP_TIMES_FILE), Long.MAX_VALUE);
            if (!timings.isEmpty()) cost = StepCost.of(timings);
            return new ExperimentCell(n.path("method").asText(), n.path("seed").asLong(), n.path("options"),
                    n.path("best_epoch").asInt(), number(n, "global_threshold"),
                    n.path("trivial_global_threshold").asBoolean(), scores, cost, number(c, "train_seconds"));
        } catch (IOException e) {
            throw new IOException(file + ": not a finished cell's record (" + e.getMessage() + "); delete the file to run the cell again", e);
        }
    }

    private static double number(JsonNode parent, String key) throws IOException {
        JsonNode v = parent.get(key);
        if (v == null) throw new IOException("missing '" + key + "'");
        // NaN is written as the string "NaN" by Jackson's default settings.
        if (v.isTextual() && v.asText().equals("NaN")) return Double.NaN;
        if (!v.isNumber()) throw new IOException("'" + key + "' is not a number: " + v);
        return v.asDouble();
    }
}
