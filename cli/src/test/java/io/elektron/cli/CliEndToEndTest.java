package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.elektron.cli.CliTestSupport.resource;
import static io.elektron.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands end to end on the tiny HF fixture (reference values from HF transformers 4.30). */
class CliEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void predictJsonReproducesTransformersLogits() throws Exception {
        CliTestSupport.Run r = run("predict", "--model", resource("tiny").toString(), "--input",
                resource("tiny-texts.jsonl").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode golden = JSON.readTree(resource("tiny-golden-logits.json").toFile());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        for (int i = 0; i < 3; i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            for (int j = 0; j < 5; j++) {
                double expected = golden.get("logits").get(i).get(j).asDouble();
                double got = line.get("logits").get(j).asDouble();
                assertEquals(expected, got, 1e-5, "text " + i + " label " + j);
                assertEquals(1 / (1 + Math.exp(-expected)), line.get("probabilities").get(j).asDouble(), 1e-5);
            }
            assertTrue(line.get("labels").isArray());
        }
    }

    @Test
    void predictJsonLinesSayWhichInputTheyAreAndRankTheLabelsAndSkippedLinesAreReported(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("inputs.tsv");
        // A GoEmotions-style file with ids; the second line has an unknown label id and is skipped.
        Files.writeString(input, "the electra ?\t2\tfirst\nbroken line\t99\tbad\nvery very electra we love test ?\t0\tthird\n");
        CliTestSupport.Run r = run("predict", "--model", resource("tiny").toString(), "--input", input.toString(),
                "--json", "--skip-bad-lines");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("inputs.tsv") && r.err().contains("line 2"), "the skipped line is reported: " + r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        JsonNode third = JSON.readTree(lines.get(1));
        assertEquals(1, third.get("index").asInt());
        assertEquals("third", third.get("id").asText());
        assertEquals("very very electra we love test ?", third.get("text").asText());
        List<String> ranked = new java.util.ArrayList<>();
        third.get("scores").fieldNames().forEachRemaining(ranked::add);
        double previous = Double.POSITIVE_INFINITY;
        for (String label : ranked) {
            double p = third.get("scores").get(label).asDouble();
            assertTrue(p <= previous, "scores sorted by probability, most probable first: " + third.get("scores"));
            previous = p;
        }
        assertEquals(third.get("probabilities").size(), ranked.size());
    }

    @Test
    void tokenizeJsonReproducesTransformersIds() throws Exception {
        CliTestSupport.Run r = run("tokenize", "--model", resource("tiny").toString(), "--input",
                resource("tiny-texts.jsonl").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode golden = JSON.readTree(resource("tiny-golden-logits.json").toFile());
        List<String> lines = r.out().lines().toList();
        for (int i = 0; i < 3; i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            JsonNode ids = line.get("input_ids");
            for (int t = 0; t < ids.size(); t++) {
                assertEquals(golden.get("input_ids").get(i).get(t).asInt(), ids.get(t).asInt(), "text " + i + " token " + t);
                assertEquals(golden.get("token_type_ids").get(i).get(t).asInt(), line.get("token_type_ids").get(t).asInt());
            }
            // unpadded: exactly the real tokens of the padded reference row
            int real = 0;
            for (JsonNode m : golden.get("attention_mask").get(i)) real += m.asInt();
            assertEquals(real, ids.size());
        }
    }

    @Test
    void trainThenEvalThenPredictOnToyData(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        CliTestSupport.Run r = run("train", "--model", resource("tiny").toString(),
                "--train", resource("toy/train.tsv").toString(), "--dev", resource("toy/dev.tsv").toString(),
                "--test", resource("toy/test.tsv").toString(), "--epochs", "2", "--batch-size", "8", "--lr", "2e-3",
                "--adv", "fgm", "--max-length", "6", "--out", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        for (String f : List.of("metrics.json", "report.md", "loss.png", "f1.png", "history.json", "best/model.safetensors",
                "best/config.json", "best/vocab.txt", "best/thresholds.json", "last/trainer_state.json")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertTrue(metrics.has("test_at_global_threshold"));
        JsonNode config = JSON.readTree(out.resolve("best/config.json").toFile());
        assertEquals("positive", config.get("id2label").get("0").asText());
        assertEquals("multi_label_classification", config.get("problem_type").asText());

        CliTestSupport.Run eval = run("eval", "--model", out.resolve("best").toString(), "--data",
                resource("toy/test.tsv").toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode evalJson = JSON.readTree(eval.out());
        assertEquals(metrics.get("test_at_global_threshold").get("micro").get("f1").asDouble(),
                evalJson.get("micro").get("f1").asDouble(), 1e-9, "eval with the saved threshold reproduces the run's test score");

        CliTestSupport.Run predict = run("predict", "--model", out.resolve("best").toString(), "--input",
                resource("toy/test.tsv").toString());
        assertEquals(0, predict.exitCode(), predict.err());
        assertEquals(16, predict.out().lines().count());

        // Trained on inputs cut to 6 tokens (the toy texts run to 10), the checkpoint is used on inputs cut the same way.
        String atDefault = predictJson(out.resolve("best"));
        assertEquals(predictJson(out.resolve("best"), "--max-length", "6"), atDefault);
        assertFalse(atDefault.equals(predictJson(out.resolve("best"), "--max-length", "128")),
                "the toy texts cut to 6 tokens score otherwise than whole ones");
    }

    private static String predictJson(Path model, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("predict", "--model", model.toString(), "--input",
                resource("toy/test.tsv").toString(), "--json"));
        args.addAll(List.of(extra));
        CliTestSupport.Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return r.out();
    }

    @Test
    void encodePoolings() throws Exception {
        for (String pooling : List.of("cls", "mean", "none")) {
            CliTestSupport.Run r = run("encode", "--model", resource("tiny").toString(), "--input",
                    resource("tiny-texts.jsonl").toString(), "--pooling", pooling, "--json");
            assertEquals(0, r.exitCode(), r.err());
            JsonNode first = JSON.readTree(r.out().lines().findFirst().orElseThrow());
            if (pooling.equals("none")) assertEquals(10, first.get("last_hidden_state").size());
            else assertEquals(32, first.get("embedding").size());
        }
    }

    @Test
    void inferenceOutputIsInInputOrderWhateverTheBatchSize() throws Exception {
        // Batches are sorted by length and run packed; one input per batch is the order-preserving reference.
        for (String command : List.of("encode", "predict")) {
            List<String> extra = command.equals("encode") ? List.of("--pooling", "mean") : List.of();
            List<List<Double>> reference = null;
            for (String batch : List.of("1", "3", "32")) {
                List<String> args = new java.util.ArrayList<>(List.of(command, "--model", resource("tiny").toString(),
                        "--input", resource("tiny-texts.jsonl").toString(), "--json", "--batch-size", batch));
                args.addAll(extra);
                CliTestSupport.Run r = run(args.toArray(String[]::new));
                assertEquals(0, r.exitCode(), r.err());
                List<List<Double>> rows = new java.util.ArrayList<>();
                for (String line : r.out().lines().toList()) rows.add(numbers(JSON.readTree(line)));
                if (reference == null) {
                    reference = rows;
                    continue;
                }
                assertEquals(reference.size(), rows.size(), command + " --batch-size " + batch);
                for (int i = 0; i < rows.size(); i++) {
                    for (int j = 0; j < rows.get(i).size(); j++) {
                        assertEquals(reference.get(i).get(j), rows.get(i).get(j), 1e-5,
                                command + " --batch-size " + batch + ", input " + (i + 1));
                    }
                }
            }
        }
    }

    /** Every number in a JSON line, in document order. */
    private static List<Double> numbers(JsonNode node) {
        List<Double> out = new java.util.ArrayList<>();
        if (node.isNumber()) out.add(node.asDouble());
        node.forEach(child -> out.addAll(numbers(child)));
        return out;
    }

    @Test
    void errorsAreOneClearLineWithDistinctExitCodes(@TempDir Path dir) throws Exception {
        CliTestSupport.Run missing = run("predict", "--model", resource("tiny").toString(), "--input", dir.resolve("nope.txt").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.exitCode());
        assertTrue(missing.err().contains("nope.txt"), missing.err());
        assertFalse(missing.err().contains("\tat "), "no stack trace without --verbose");

        CliTestSupport.Run usage = run("train", "--bogus");
        assertEquals(ExitCode.USAGE, usage.exitCode());

        Path bad = dir.resolve("bad.tsv");
        Files.writeString(bad, "a fine line\t0\tid1\nbroken line without tabs\n");
        Files.writeString(dir.resolve("labels.txt"), "positive\nnegative\nquestion\n");
        CliTestSupport.Run badData = run("eval", "--model", resource("tiny").toString(), "--data", bad.toString(),
                "--labels", dir.resolve("labels.txt").toString());
        assertEquals(ExitCode.BAD_INPUT, badData.exitCode(), badData.err());
        assertTrue(badData.err().contains("line 2"), badData.err());

        CliTestSupport.Run noModel = run("predict", "--model", dir.resolve("no-such-model").toString(), "--input",
                resource("tiny-texts.jsonl").toString());
        assertTrue(noModel.exitCode() == ExitCode.MODEL_UNAVAILABLE || noModel.exitCode() == ExitCode.BAD_INPUT, noModel.err());
        assertEquals(1, noModel.err().lines().count(), noModel.err());
    }
}
