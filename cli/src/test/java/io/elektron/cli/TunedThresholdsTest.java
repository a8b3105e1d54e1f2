package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.elektron.cli.CliTestSupport.resource;
import static io.elektron.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code eval} and {@code predict} with the thresholds.json training saves beside a checkpoint: {@code --thresholds
 * global} (the default) or {@code per-label}, hand-written files with known consequences, and malformed ones.
 *
 * <p>The expectations rest on one property of the tiny random classifier, checked first in each test: every
 * probability it gives on these texts lies strictly between 0.001 and 0.999. A threshold of 0.001 then selects a
 * label for every text, and 0.999 for none.
 */
class TunedThresholdsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABELS = "[\"LABEL_0\", \"LABEL_1\", \"LABEL_2\", \"LABEL_3\", \"LABEL_4\"]";
    /** Only LABEL_2 is low enough for the tiny model's probabilities; the global threshold is above all of them. */
    private static final String ONLY_LABEL_2 = "{\"global\": 0.999, \"objective\": \"dev macro F1\", \"labels\": " + LABELS
            + ", \"per_label\": [0.999, 0.999, 0.001, 0.999, 0.999]}";

    /**
     * Four labelled texts for the tiny classifier's five labels. Gold: {2}, {0, 2}, {1}, {} — 4 gold positives in
     * 4 x 5 = 20 cells; LABEL_2 has support 2, LABEL_0 and LABEL_1 one each, LABEL_3 and LABEL_4 none.
     */
    private static Path data(Path dir) throws IOException {
        return Files.writeString(dir.resolve("data.tsv"), """
                the electra model ?\t2\tt1
                i love electra\t0,2\tt2
                run model test .\t1\tt3
                very good cafe\t\tt4
                """);
    }

    /** A copy of the tiny classifier with the given thresholds.json, as training leaves best/. */
    private static Path checkpoint(Path dir, String thresholdsJson) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("best"));
        try (Stream<Path> files = Files.list(resource("tiny"))) {
            for (Path f : files.toList()) Files.copy(f, folder.resolve(f.getFileName()));
        }
        Files.writeString(folder.resolve("thresholds.json"), thresholdsJson);
        return folder;
    }

    private static void assertProbabilitiesStrictlyBetweenTheTestThresholds(Path texts) throws IOException {
        CliTestSupport.Run r = run("predict", "--model", resource("tiny").toString(), "--input", texts.toString(), "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        for (String line : r.out().strip().split("\n")) {
            for (JsonNode p : JSON.readTree(line).get("probabilities")) {
                assertTrue(p.asDouble() > 0.001 && p.asDouble() < 0.999, "the test's premise fails: probability " + p);
            }
        }
    }

    @Test
    void predictWithPerLabelThresholdsGivesExactlyTheLabelTunedLow(@TempDir Path dir) throws Exception {
        Path texts = data(dir);
        assertProbabilitiesStrictlyBetweenTheTestThresholds(texts);
        String model = checkpoint(dir, ONLY_LABEL_2).toString();

        CliTestSupport.Run perLabel = run("predict", "--model", model, "--input", texts.toString(), "--thresholds", "per-label");
        assertEquals(ExitCode.OK, perLabel.exitCode(), perLabel.err());
        List<String> lines = perLabel.out().lines().toList();
        assertEquals(4, lines.size(), perLabel.out());
        for (String line : lines) assertTrue(line.matches("[^\t]*\tLABEL_2 \\(0\\.\\d\\d\\)"), line);

        CliTestSupport.Run json = run("predict", "--model", model, "--input", texts.toString(), "--thresholds", "per-label", "--json");
        assertEquals(ExitCode.OK, json.exitCode(), json.err());
        for (String line : json.out().strip().split("\n")) {
            assertEquals("[\"LABEL_2\"]", JSON.readTree(line).get("labels").toString(), line);
        }

        // The default stays the global threshold, 0.999 here: no label for any text.
        CliTestSupport.Run global = run("predict", "--model", model, "--input", texts.toString());
        assertEquals(ExitCode.OK, global.exitCode(), global.err());
        for (String line : global.out().lines().toList()) assertTrue(line.endsWith("\t-"), line);
        assertEquals(4, global.out().lines().count(), global.out());
    }

    @Test
    void evalScoresPerLabelThresholdsAndSaysWhichItUsed(@TempDir Path dir) throws Exception {
        Path data = data(dir);
        assertProbabilitiesStrictlyBetweenTheTestThresholds(data);
        String model = checkpoint(dir, ONLY_LABEL_2).toString();

        CliTestSupport.Run r = run("eval", "--model", model, "--data", data.toString(), "--thresholds", "per-label", "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertEquals("per-label, tuned on dev (thresholds.json)", report.get("thresholds_used").asText());
        float[] expected = {0.999f, 0.999f, 0.001f, 0.999f, 0.999f};
        for (int l = 0; l < expected.length; l++) {
            assertEquals(expected[l], report.get("thresholds").get(l).floatValue(), 0f);
        }
        // LABEL_2 is predicted for all 4 texts and nothing else: tp 2, fp 2; the other 2 gold positives are missed.
        assertEquals(0.5, report.get("micro").get("precision").asDouble(), 1e-9);
        assertEquals(0.5, report.get("micro").get("recall").asDouble(), 1e-9);
        assertEquals(0.5, report.get("micro").get("f1").asDouble(), 1e-9);
        JsonNode label2 = report.get("per_label").get(2);
        assertEquals(0.5, label2.get("precision").asDouble(), 1e-9);
        assertEquals(1.0, label2.get("recall").asDouble(), 1e-9);
        assertEquals(2.0 / 3, label2.get("f1").asDouble(), 1e-9);
        assertEquals(0.0, report.get("per_label").get(0).get("f1").asDouble(), 1e-9);
        assertEquals(2.0 / 3 / 5, report.get("macro").get("f1").asDouble(), 1e-9);
        // Only t1 ({2}) comes out exactly right; wrong cells: t2 misses 0, t3 misses 1 and adds 2, t4 adds 2.
        assertEquals(0.25, report.get("subset_accuracy").asDouble(), 1e-9);
        assertEquals(4.0 / 20, report.get("hamming_loss").asDouble(), 1e-9);

        CliTestSupport.Run text = run("eval", "--model", model, "--data", data.toString(), "--thresholds", "per-label");
        assertEquals(ExitCode.OK, text.exitCode(), text.err());
        assertTrue(text.out().startsWith("thresholds: per-label, tuned on dev (thresholds.json)\n"), text.out());

        // The default, the global 0.999, predicts nothing: no true positives at all.
        CliTestSupport.Run global = run("eval", "--model", model, "--data", data.toString(), "--json");
        assertEquals(ExitCode.OK, global.exitCode(), global.err());
        JsonNode globalReport = JSON.readTree(global.out());
        assertEquals("global 0.999, tuned on dev (thresholds.json)", globalReport.get("thresholds_used").asText());
        assertEquals(0.0, globalReport.get("micro").get("f1").asDouble(), 1e-9);

        CliTestSupport.Run explicit = run("eval", "--model", model, "--data", data.toString(), "--threshold", "0.4");
        assertEquals(ExitCode.OK, explicit.exitCode(), explicit.err());
        assertTrue(explicit.out().startsWith("thresholds: global 0.4 (--threshold)\n"), explicit.out());

        CliTestSupport.Run untuned = run("eval", "--model", resource("tiny").toString(), "--data", data.toString());
        assertEquals(ExitCode.OK, untuned.exitCode(), untuned.err());
        assertTrue(untuned.out().startsWith("thresholds: global 0.5 (no thresholds.json in the model folder)\n"), untuned.out());
    }

    @Test
    void evalWarnsWhenTheThresholdsPredictEveryLabelForEveryExample(@TempDir Path dir) throws Exception {
        Path data = data(dir);
        assertProbabilitiesStrictlyBetweenTheTestThresholds(data);
        String model = checkpoint(dir, "{\"global\": 0.5, \"labels\": " + LABELS
                + ", \"per_label\": [0.001, 0.001, 0.001, 0.001, 0.001]}").toString();

        CliTestSupport.Run r = run("eval", "--model", model, "--data", data.toString(), "--thresholds", "per-label", "--json");
        assertEquals(ExitCode.OK, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: ") && r.err().contains("every label for every example"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        // All 20 cells predicted positive: every gold positive found, 4 of 20 predictions right.
        JsonNode report = JSON.readTree(r.out());
        assertEquals(1.0, report.get("micro").get("recall").asDouble(), 1e-9);
        assertEquals(0.2, report.get("micro").get("precision").asDouble(), 1e-9);

        CliTestSupport.Run explicit = run("eval", "--model", resource("tiny").toString(), "--data", data.toString(), "--threshold", "0.001");
        assertEquals(ExitCode.OK, explicit.exitCode(), explicit.err());
        assertTrue(explicit.err().contains("every label for every example"), explicit.err());
    }

    @Test
    void malformedThresholdsAreBadInputNamingTheFileAndKey(@TempDir Path dir) throws Exception {
        Path data = data(dir);
        record Case(String json, String key, List<String> mentions) {
        }
        List<Case> cases = List.of(
                new Case("{\"global\": 0.5, \"labels\": " + LABELS + ", \"per_label\": [0.5, 0.5, 0.5, 0.5]}",
                        "'per_label'", List.of("has 4 thresholds", "expected 5")),
                new Case("{\"global\": 0.5, \"labels\": " + LABELS + ", \"per_label\": [0.5, 0.5, 1.5, 0.5, 0.5]}",
                        "'per_label'[2]", List.of("LABEL_2", "1.5", "(0, 1)")),
                new Case("{\"global\": 0.5, \"labels\": " + LABELS + ", \"per_label\": \"high\"}",
                        "'per_label'", List.of("must be an array")),
                new Case("{\"global\": 0.5, \"labels\": [\"a\", \"b\", \"c\", \"d\", \"e\"], \"per_label\": [0.5, 0.5, 0.5, 0.5, 0.5]}",
                        "'labels'", List.of("[a, b, c, d, e]", "[LABEL_0, LABEL_1, LABEL_2, LABEL_3, LABEL_4]")));
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Path folder = checkpoint(dir.resolve("case" + i), c.json());
            String file = folder.resolve("thresholds.json").toString();
            for (CliTestSupport.Run r : List.of(
                    run("predict", "--model", folder.toString(), "--input", data.toString(), "--thresholds", "per-label"),
                    run("eval", "--model", folder.toString(), "--data", data.toString(), "--thresholds", "per-label"))) {
                assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err() + r.out());
                assertEquals(1, r.err().strip().lines().count(), r.err());
                assertTrue(r.err().startsWith("error: " + file + ": " + c.key()), r.err());
                for (String m : c.mentions()) assertTrue(r.err().contains(m), m + " in " + r.err());
            }
        }
        // The labels say the file belongs to another model, so its global threshold is refused as well.
        Path otherModel = dir.resolve("case3").resolve("best");
        CliTestSupport.Run global = run("predict", "--model", otherModel.toString(), "--input", data.toString());
        assertEquals(ExitCode.BAD_INPUT, global.exitCode(), global.err());
        assertTrue(global.err().contains("'labels'"), global.err());
    }

    @Test
    void perLabelWithoutPerLabelThresholdsOrWithAnExplicitThresholdIsAUsageError(@TempDir Path dir) throws Exception {
        Path data = data(dir);
        Path globalOnly = checkpoint(dir, "{\"global\": 0.31, \"objective\": \"dev macro F1\", \"labels\": " + LABELS + "}");
        Path noFile = resource("tiny");
        for (String command : List.of("predict", "eval")) {
            String dataOption = command.equals("predict") ? "--input" : "--data";

            CliTestSupport.Run missingKey = run(command, "--model", globalOnly.toString(), dataOption, data.toString(), "--thresholds", "per-label");
            assertUsageError(missingKey, "--thresholds per-label");
            assertTrue(missingKey.err().contains(globalOnly.resolve("thresholds.json") + " has no 'per_label'"), missingKey.err());

            CliTestSupport.Run missingFile = run(command, "--model", noFile.toString(), dataOption, data.toString(), "--thresholds", "per-label");
            assertUsageError(missingFile, "--thresholds per-label");
            assertTrue(missingFile.err().contains(noFile.resolve("thresholds.json") + " does not exist"), missingFile.err());

            CliTestSupport.Run both = run(command, "--model", globalOnly.toString(), dataOption, data.toString(),
                    "--threshold", "0.4", "--thresholds", "per-label");
            assertUsageError(both, "--threshold 0.4");
            assertTrue(both.err().contains("--thresholds per-label"), both.err());

            CliTestSupport.Run unknown = run(command, "--model", globalOnly.toString(), dataOption, data.toString(), "--thresholds", "best");
            assertEquals(ExitCode.USAGE, unknown.exitCode(), unknown.err());
            assertTrue(unknown.err().contains("--thresholds"), unknown.err());
        }
    }

    private static void assertUsageError(CliTestSupport.Run r, String start) {
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: " + start), r.err());
        assertEquals("", r.out());
    }
}
