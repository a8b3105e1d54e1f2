package io.elektron.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every example in its quick mode, with assertions on what it prints and writes (the CI run of the examples). */
class ExamplesTest {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    private String printed() {
        String s = buffer.toString(StandardCharsets.UTF_8);
        System.out.print(s); // keep the examples' output in the test log
        return s;
    }

    private static void assertPng(Path png) throws Exception {
        assertTrue(Files.isRegularFile(png), png + " was not written");
        assertTrue(Files.size(png) > 2000, png + " is only " + Files.size(png) + " bytes");
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(img != null && img.getWidth() >= 300 && img.getHeight() >= 300, png + " is not a readable image");
    }

    @Test
    void twoSpiralsByHand(@TempDir Path dir) throws Exception {
        TwoSpirals.Result r = TwoSpirals.run(true, dir, out);
        String text = printed();
        assertTrue(r.lastLoss() < 0.05 * r.firstLoss(), "loss fell from " + r.firstLoss() + " to " + r.lastLoss());
        assertTrue(r.accuracy() >= 0.98, "training accuracy " + r.accuracy());
        assertTrue(text.contains("training accuracy 1") || text.contains("training accuracy 9"), text);
        assertTrue(text.contains("decision boundary: " + dir.resolve("two-spirals.png")), text);
        assertPng(r.png());
    }

    @Test
    void transformerSortsDigits() {
        SortingTransformer.Result r = SortingTransformer.run(true, out);
        String text = printed();
        assertTrue(r.exactMatch() >= 0.99, "exact match " + r.exactMatch());
        assertTrue(r.lastLoss() < 0.1 * r.firstLoss(), "loss fell from " + r.firstLoss() + " to " + r.lastLoss());
        assertTrue(text.matches("(?s).*exact match on 2000 unseen strings: (99\\.\\d\\d|100\\.00)%.*"), text);
    }

    @Test
    void goEmotionsWithAndWithoutFgm(@TempDir Path dir) throws Exception {
        List<GoEmotionsFgm.MethodResult> r = GoEmotionsFgm.run(true, dir, out);
        String text = printed();
        assertEquals(List.of("none", "fgm"), r.stream().map(GoEmotionsFgm.MethodResult::method).toList());
        for (GoEmotionsFgm.MethodResult m : r) {
            assertTrue(m.lastEpochLoss() < m.firstEpochLoss(), m.method() + ": loss did not fall " + m);
            assertTrue(m.testMicroF1() > 0 && m.testMicroF1() <= 1 && m.testMacroF1() > 0, m.toString());
        }
        GoEmotionsFgm.MethodResult fgm = r.get(1);
        assertEquals(GoEmotionsFgm.EPS, fgm.perturbationNorm(), 1e-4, "FGM's perturbation has norm eps");
        assertTrue(fgm.lossIncrease() > 0, "the attack raised the loss: " + fgm.lossIncrease());
        assertTrue(Double.isNaN(r.get(0).lossIncrease()));
        assertTrue(text.contains("attack changed the loss by +"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("none\\s+0\\.\\d{4}\\s+0\\.\\d{4}.*")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("fgm\\s+0\\.\\d{4}\\s+0\\.\\d{4}.*")), text);
        assertTrue(Files.isRegularFile(dir.resolve("fgm/best/model.safetensors")));
    }

    @Test
    void attentionOfARealCheckpointOrAClearSkip(@TempDir Path dir) throws Exception {
        Path model = AttentionInspection.defaultModel();
        AttentionInspection.Result r = AttentionInspection.run(model, AttentionInspection.DEFAULT_TEXT, dir, out);
        String text = printed();
        if (r.skipped()) {
            assertFalse(Files.exists(model.resolve("config.json")));
            assertTrue(text.startsWith("skipped: no checkpoint at "), text);
            return;
        }
        assertEquals(6, r.inspection().layers().size());
        assertTrue(text.contains("tokens: [CLS] the cat sat on the mat because it was warm . [SEP]"), text);
        assertTrue(text.contains("hooks: encoder.layer.3.attention -> [1, 13, 384]"), text);
        assertPng(r.clsPng());
        assertPng(r.headPng());
    }

    @Test
    void aMissingCheckpointIsSkippedWithAMessage(@TempDir Path dir) throws Exception {
        AttentionInspection.Result r = AttentionInspection.run(dir.resolve("none"), "x", dir, out);
        assertTrue(r.skipped());
        assertTrue(printed().startsWith("skipped: no checkpoint at "));
    }
}
