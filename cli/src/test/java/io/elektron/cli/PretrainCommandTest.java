package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.elektron.model.hf.HfModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `elektron pretrain` end to end on a few GoEmotions comments: a few steps, the run folder, a resume. */
class PretrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs the command on its own (it does not depend on being registered in Main). */
    private static CliTestSupport.Run pretrain(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PretrainCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            ex.printStackTrace(new PrintWriter(err, true));
            return Main.exitCodeFor(ex);
        });
        int code = cli.execute(args);
        return new CliTestSupport.Run(code, out.toString(), err.toString());
    }

    private static Path corpus(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        try (var in = Objects.requireNonNull(PretrainCommandTest.class.getResourceAsStream("/io/elektron/model/sample/goemotions-sample/train.tsv"));
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null && lines.size() < 120; line = r.readLine()) lines.add(line.split("\t")[0]);
        }
        Path file = dir.resolve("corpus.txt");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aCorpusWithoutTextIsABadInputFile(@TempDir Path dir) throws Exception {
        Path blank = Files.writeString(dir.resolve("blank.txt"), "\n\n");
        CliTestSupport.Run r = pretrain("--corpus", blank.toString(), "--steps", "1", "--out", dir.resolve("run").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("blank.txt") && r.err().contains("no text"), r.err());
    }

    @Test
    void pretrainsWritesARunFolderAndResumes(@TempDir Path dir) throws Exception {
        Path text = corpus(dir);
        Path out = dir.resolve("run");
        CliTestSupport.Run r = pretrain("--corpus", text.toString(), "--config", "tiny", "--steps", "4", "--batch-size", "4",
                "--max-length", "32", "--checkpoint-every", "2", "--held-out", "0.1", "--out", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err() + r.out());
        JsonNode metrics = JSON.readTree(r.out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(4, metrics.get("steps").asInt());
        assertTrue(metrics.get("held_out").has("replaced_f1"));
        for (String f : List.of("metrics.json", "steps.csv", "loss.png", "discriminator/model.safetensors",
                "discriminator/config.json", "discriminator/vocab.txt", "generator/model.safetensors",
                "last/pretrain_state.json", "last/optimizer.safetensors", "last/generator/config.json")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals("ElectraForPreTraining", JSON.readTree(out.resolve("discriminator/config.json").toFile()).get("architectures").get(0).asText());
        assertEquals("ElectraForMaskedLM", JSON.readTree(out.resolve("generator/config.json").toFile()).get("architectures").get(0).asText());
        assertEquals(32, JSON.readTree(out.resolve("generator/config.json").toFile()).get("hidden_size").asInt(), "1/4 of tiny's 128");
        assertEquals(0, HfModels.generator(out.resolve("generator"), 0).report().missing().size());
        assertEquals(0, HfModels.discriminator(out.resolve("discriminator"), 0).report().missing().size());

        // Two more steps from the checkpoint (a longer plan than the first run's: a note, not an error).
        CliTestSupport.Run resumed = pretrain("--corpus", text.toString(), "--steps", "6", "--batch-size", "4",
                "--max-length", "32", "--held-out", "0.1", "--out", out.toString(), "--resume", out.resolve("last").toString());
        assertEquals(0, resumed.exitCode(), resumed.err() + resumed.out());
        assertTrue(resumed.out().contains("resumed from"), resumed.out());
        assertEquals(7, Files.readAllLines(out.resolve("steps.csv")).size(), "header + 6 steps");
    }

    @Test
    void aConfigWhoseVocabularyDiffersIsAUsageError(@TempDir Path dir) throws Exception {
        Path text = corpus(dir);
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"vocab_size\": 120, \"hidden_size\": 32, \"num_hidden_layers\": 1, \"num_attention_heads\": 2,"
                + " \"intermediate_size\": 64, \"embedding_size\": 16}");
        CliTestSupport.Run r = pretrain("--corpus", text.toString(), "--config", config.toString(), "--steps", "1",
                "--out", dir.resolve("run").toString());
        assertEquals(ExitCode.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("vocab_size 120"), r.err());
    }
}
