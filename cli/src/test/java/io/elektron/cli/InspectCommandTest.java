package io.elektron.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.elektron.cli.CliTestSupport.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code elektron inspect} on the tiny HF classifier fixture and, when present, the real MiniLM encoder. */
class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Through Main once the command is registered there, else on its own with Main's error handling. */
    static CliTestSupport.Run inspect(String... args) {
        if (new CommandLine(new Main()).getSubcommands().containsKey("inspect")) {
            String[] all = new String[args.length + 1];
            all[0] = "inspect";
            System.arraycopy(args, 0, all, 1, args.length);
            return CliTestSupport.run(all);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new InspectCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, c, p) -> {
            err.write("error: " + Main.oneLine(ex));
            return Main.exitCodeFor(ex);
        });
        int code = cli.execute(args);
        return new CliTestSupport.Run(code, out.toString(), err.toString());
    }

    private static void assertImage(Path png) throws Exception {
        assertTrue(Files.size(png) > 1000, png + " is " + Files.size(png) + " bytes");
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 300 && img.getHeight() >= 200, png + ": " + img.getWidth() + "x" + img.getHeight());
    }

    @Test
    void classifierTablesAndFiles(@TempDir Path dir) throws Exception {
        CliTestSupport.Run r = inspect("--model", resource("tiny").toString(), "--text", "hello world, this is a test.",
                "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("classifier, 5 labels"), out);
        assertTrue(out.contains("tokens  10: [CLS] hello world , this is a test . [SEP]"), out);
        assertTrue(out.contains("ids     2 84 85 58 90 89 5 91 57 3"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("1 ")), "a row for layer 1:\n" + out);
        assertTrue(out.contains("labels (sigmoid probability, top 5 of 5)"), out);
        assertTrue(out.contains("token attributions"), out);
        for (String f : new String[]{"attention-grid.png", "attention-entropy.png", "cls-attention.png", "attributions.png"}) {
            assertImage(dir.resolve(f));
        }
        String html = Files.readString(dir.resolve("attributions.html"));
        assertTrue(html.contains("<span class=\"tok\"") && html.contains("hello"), html);
        JsonNode j = JSON.readTree(dir.resolve("inspection.json").toFile());
        assertEquals(2, j.get("layers").size());
        assertEquals(4, j.get("layers").get(0).get("entropy_per_head").size());
        assertEquals(3, j.get("attributions").size());
    }

    @Test
    void theAttentionGridLabelsEveryQueryAndKeyWithItsTokenAndEveryTileWithItsLayerOrHead() {
        InspectCommand.TileLabels rows = InspectCommand.TileLabels.of(java.util.List.of("[CLS]", "hi", "there", "[SEP]"), 3, 2, "layer ");
        // Two tiles of the first 3 tokens, a blank gap row between them.
        assertArrayEquals(new String[]{"[CLS]", "hi", "there", "", "[CLS]", "hi", "there"}, rows.cells());
        assertArrayEquals(new String[]{"", "layer 0", "", "", "", "layer 1", ""}, rows.tiles());
    }

    @Test
    void jsonForPairs(@TempDir Path dir) throws Exception {
        CliTestSupport.Run r = inspect("--model", resource("tiny").toString(), "--text", "i love electra",
                "--text-pair", "you hate bad models!", "--json", "--top-labels", "1", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("[CLS] i love electra [SEP] you hate bad model ##s ! [SEP]", String.join(" ", texts(j.get("tokens"))));
        assertEquals(1, j.get("token_type_ids").get(5).asInt());
        assertEquals(5, j.get("probabilities").size());
        assertEquals(1, j.get("attributions").size());
        double sum = 0;
        for (JsonNode v : j.get("layers").get(1).get("cls_attention")) sum += v.asDouble();
        assertEquals(1.0, sum, 1e-5);
        assertTrue(j.get("files").size() >= 6, j.get("files").toString());
    }

    @Test
    void badArgumentsAreOneLineErrors(@TempDir Path dir) {
        CliTestSupport.Run empty = inspect("--model", resource("tiny").toString(), "--text", "", "--out", dir.toString());
        assertEquals(ExitCode.USAGE, empty.exitCode(), empty.err());
        assertTrue(empty.err().contains("empty"), empty.err());
        CliTestSupport.Run missing = inspect("--model", dir.resolve("nope").toString(), "--text", "x");
        assertEquals(ExitCode.MODEL_UNAVAILABLE, missing.exitCode(), missing.err());
    }

    @Test
    void realEncoderWhenPresent(@TempDir Path dir) throws Exception {
        Path minilm = Path.of(System.getProperty("elektron.shared", "../../shared"), "models", "minilm-l6-electra");
        assumeTrue(Files.isRegularFile(minilm.resolve("model.safetensors")), "no real checkpoint at " + minilm);
        CliTestSupport.Run r = inspect("--model", minilm.toString(), "--text", "The movie was surprisingly good.",
                "--json", "--out", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("encoder", j.get("kind").asText());
        assertEquals(6, j.get("layers").size());
        assertEquals(12, j.get("layers").get(5).get("entropy_per_head").size());
        assertImage(dir.resolve("attention-grid.png"));
    }

    private static Iterable<String> texts(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
