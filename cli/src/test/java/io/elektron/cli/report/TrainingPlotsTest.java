package io.elektron.cli.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.jfree.chart.renderer.PaintScale;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPlotsTest {
    @TempDir
    Path tmp;

    /** Reads the PNG back and checks its size and that it is not blank; no temporary file may be left beside it. */
    private static BufferedImage readBack(Path png, int width, int height) throws IOException {
        assertTrue(Files.size(png) > 0, png + " is empty");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a readable image");
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        int first = image.getRGB(0, 0);
        boolean varied = false;
        for (int y = 0; y < height && !varied; y += 7) {
            for (int x = 0; x < width && !varied; x += 7) varied = image.getRGB(x, y) != first;
        }
        assertTrue(varied, png + " is one flat colour");
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file left");
        }
        if (png.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Path plain = Files.createFile(png.resolveSibling("plain-" + png.getFileName() + ".txt"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(png), "umask permissions, not 0600");
            Files.delete(plain);
        }
        return image;
    }

    static List<double[]> lossPoints(int steps, boolean adversarial) {
        SplittableRandom rng = new SplittableRandom(7);
        List<double[]> points = new ArrayList<>();
        for (int s = 1; s <= steps; s++) {
            double trend = 0.08 + 0.6 * Math.exp(-s / (steps / 5.0));
            double clean = trend * (1 + 0.25 * (rng.nextDouble() - 0.5));
            double adv = adversarial ? clean * 1.15 + 0.02 * rng.nextDouble() : Double.NaN;
            points.add(new double[]{s, clean, adv});
        }
        return points;
    }

    @Test
    void lossCurveWithAndWithoutAdversarialLoss() throws IOException {
        Path png = tmp.resolve("loss.png");
        TrainingPlots.lossCurve(lossPoints(1200, true), png);
        readBack(png, TrainingPlots.WIDTH, TrainingPlots.HEIGHT);

        Path few = tmp.resolve("sub/dir/loss-few.png");
        TrainingPlots.lossCurve(lossPoints(40, false), few);
        readBack(few, TrainingPlots.WIDTH, TrainingPlots.HEIGHT);

        Path none = tmp.resolve("loss-empty.png");
        TrainingPlots.lossCurve(List.of(), none);
        readBack(none, TrainingPlots.WIDTH, TrainingPlots.HEIGHT);
    }

    @Test
    void rewritingReplacesTheFile() throws IOException {
        Path png = tmp.resolve("loss.png");
        Files.writeString(png, "old");
        TrainingPlots.lossCurve(lossPoints(10, false), png);
        readBack(png, TrainingPlots.WIDTH, TrainingPlots.HEIGHT);
    }

    @Test
    void f1Curves() throws IOException {
        Path png = tmp.resolve("f1.png");
        TrainingPlots.f1Curves(new int[]{1, 2, 3, 4}, new double[]{0.52, 0.571, 0.589, 0.584},
                new double[]{0.31, 0.402, 0.447, 0.451}, png);
        readBack(png, TrainingPlots.WIDTH, TrainingPlots.HEIGHT);

        Path one = tmp.resolve("f1-one.png");
        TrainingPlots.f1Curves(new int[]{1}, new double[]{0.5}, new double[]{Double.NaN}, one);
        readBack(one, TrainingPlots.WIDTH, TrainingPlots.HEIGHT);

        assertThrows(IllegalArgumentException.class,
                () -> TrainingPlots.f1Curves(new int[]{1, 2}, new double[]{0.5}, new double[]{0.4, 0.5}, tmp.resolve("bad.png")));
    }

    @Test
    void methodComparisonWithErrorBars() throws IOException {
        Path png = tmp.resolve("comparison.png");
        TrainingPlots.methodComparison(List.of("none", "fgm", "fgm-miyato", "pgd", "freelb"),
                new double[]{0.452, 0.468, 0.471, 0.466, 0.474}, new double[]{0.006, 0.004, 0.007, 0.005, 0.003},
                new double[]{0.581, 0.589, 0.590, 0.587, 0.592}, new double[]{0.003, 0.002, 0.004, 0.003, Double.NaN}, png);
        readBack(png, TrainingPlots.WIDTH, TrainingPlots.HEIGHT);

        assertThrows(IllegalArgumentException.class, () -> TrainingPlots.methodComparison(List.of("a", "b"),
                new double[]{0.5, 0.5}, new double[]{0.1}, new double[]{0.5, 0.5}, new double[]{0.1, 0.1}, tmp.resolve("bad.png")));
    }

    @Test
    void heatmapSmallWithValuesAndLargeWithout() throws IOException {
        String[] tokens = {"[CLS]", "i", "love", "this", "movie", "!", "[SEP]"};
        float[][] attention = new float[tokens.length][tokens.length];
        for (int r = 0; r < tokens.length; r++) {
            float sum = 0;
            for (int c = 0; c < tokens.length; c++) sum += attention[r][c] = (float) Math.exp(-Math.abs(r - c) * 0.8 + (c == 0 ? 1 : 0));
            for (int c = 0; c < tokens.length; c++) attention[r][c] /= sum;
        }
        attention[3][5] = Float.NaN;
        Path png = tmp.resolve("attention.png");
        TrainingPlots.heatmap("layer 0, head 0", attention, tokens, tokens, png);
        Dimension size = TrainingPlots.heatmapSize(tokens, tokens);
        readBack(png, size.width, size.height);

        int n = 128;
        String[] labels = new String[n];
        float[][] big = new float[n][n];
        for (int i = 0; i < n; i++) {
            labels[i] = "tok" + i;
            for (int j = 0; j < n; j++) big[i][j] = (float) Math.sin(i * 0.1) * (float) Math.cos(j * 0.07);
        }
        Path large = tmp.resolve("attention-128.png");
        TrainingPlots.heatmap("128 tokens", big, labels, labels, large);
        Dimension bigSize = TrainingPlots.heatmapSize(labels, labels);
        readBack(large, bigSize.width, bigSize.height);
        assertTrue(bigSize.width <= 2400 + 600 && bigSize.width >= n * 12, bigSize.toString());

        Path constant = tmp.resolve("constant.png");
        TrainingPlots.heatmap("constant", new float[][]{{1, 1}, {1, 1}}, new String[]{"a", "b"}, new String[]{"x", "y"}, constant);
        readBack(constant, TrainingPlots.heatmapSize(new String[]{"a", "b"}, new String[]{"x", "y"}).width,
                TrainingPlots.heatmapSize(new String[]{"a", "b"}, new String[]{"x", "y"}).height);

        assertThrows(IllegalArgumentException.class, () -> TrainingPlots.heatmap("ragged", new float[][]{{1, 2}, {3}},
                new String[]{"a", "b"}, new String[]{"x", "y"}, tmp.resolve("bad.png")));
        assertThrows(IllegalArgumentException.class, () -> TrainingPlots.heatmap("labels", new float[][]{{1, 2}},
                new String[]{"a", "b"}, new String[]{"x", "y"}, tmp.resolve("bad.png")));
    }

    @Test
    void smoothingIsBiasCorrectedAndViridisRunsDarkToBright() {
        org.jfree.data.xy.XYSeries s = new org.jfree.data.xy.XYSeries("loss", false, true);
        for (int i = 0; i < 500; i++) s.add(i, 2.0);
        org.jfree.data.xy.XYSeries sm = TrainingPlots.smoothed(s);
        assertEquals(500, sm.getItemCount());
        for (int i = 0; i < 500; i++) assertEquals(2.0, sm.getY(i).doubleValue(), 1e-9, "a constant stays constant from step 0");
        assertEquals(new Color(0x440154), HeatmapColours.SEQUENTIAL.at(0));
        assertEquals(new Color(0xfde725), HeatmapColours.SEQUENTIAL.at(1));
    }

    @Test
    void signedValuesGetTheirSignAsHueAndZeroTheNeutralMiddleAtAnyScale() {
        // Attributions of order 1e-4, all between -0.0005 and 0.0003.
        double[] range = HeatmapColours.DIVERGING.range(-0.0005, 0.0003);
        assertEquals(-0.0005, range[0], 0.0);
        assertEquals(0.0005, range[1], 0.0, "symmetric about zero, so zero is the middle");
        PaintScale scale = HeatmapColours.DIVERGING.paintScale(range[0], range[1], Color.LIGHT_GRAY);
        Color negative = (Color) scale.getPaint(-0.0003);
        Color positive = (Color) scale.getPaint(0.0003);
        Color zero = (Color) scale.getPaint(0.0);
        assertTrue(negative.getBlue() > negative.getRed() + 60, "below zero is blue: " + negative);
        assertTrue(positive.getRed() > positive.getBlue() + 60, "above zero is red: " + positive);
        assertEquals(new Color(0xf7f7f7), zero, "zero is the neutral near-white");
        assertEquals(HeatmapColours.DIVERGING.at(0.5), zero);

        PaintScale magnitudes = HeatmapColours.SEQUENTIAL.paintScale(0, 1, Color.LIGHT_GRAY);
        Color low = (Color) magnitudes.getPaint(0.0);
        Color high = (Color) magnitudes.getPaint(1.0);
        assertTrue(Math.abs(low.getRed() - 0x44) <= 2 && Math.abs(low.getGreen() - 0x01) <= 2 && Math.abs(low.getBlue() - 0x54) <= 2,
                "the sequential scale starts at viridis' dark purple: " + low);
        assertTrue(Math.abs(high.getRed() - 0xfd) <= 2 && Math.abs(high.getGreen() - 0xe7) <= 2 && Math.abs(high.getBlue() - 0x25) <= 2,
                "and ends at its yellow: " + high);
    }

    @Test
    void cellValuesKeepSmallMagnitudesVisible() {
        assertEquals("3.0e-4", TrainingPlots.cellValue(0.0003f));
        assertEquals("-3.0e-4", TrainingPlots.cellValue(-0.0003f));
        assertEquals("1.2e-5", TrainingPlots.cellValue(0.0000123f));
        assertEquals("1.0e-3", TrainingPlots.cellValue(0.000999f), "rounding up to 10.0 moves to the next power");
        assertEquals("0.25", TrainingPlots.cellValue(0.25f));
        assertEquals("-0.13", TrainingPlots.cellValue(-0.131f));
        assertEquals("0.01", TrainingPlots.cellValue(0.01f));
        assertEquals("0", TrainingPlots.cellValue(0f));
    }

    @Test
    void labelsThinOutOnlyWhereCellsAreTooSmallForThem() {
        String[] labels = {"a", "b", "c", "d", "e", "f"};
        assertArrayEquals(labels, TrainingPlots.labelsWithRoom(labels, 12));
        assertArrayEquals(new String[]{"a", "", "", "d", "", ""}, TrainingPlots.labelsWithRoom(labels, 3));
    }

    @Test
    void aSignedHeatmapWithGroupLabelsOnTheOtherSides() throws IOException {
        String[] tokens = {"[CLS]", "fine", "[SEP]", "", "[CLS]", "fine", "[SEP]"};
        String[] layers = {"", "layer 0", "", "", "", "layer 1", ""};
        String[] keys = {"[CLS]", "fine", "[SEP]"};
        String[] heads = {"", "head 0", ""};
        float[][] values = new float[7][3];
        for (int r = 0; r < 7; r++) for (int c = 0; c < 3; c++) values[r][c] = r == 3 ? Float.NaN : (r - 3) * 1e-4f * (c + 1);
        Path png = tmp.resolve("grouped.png");
        TrainingPlots.heatmap("grouped", values, tokens, keys, layers, heads, HeatmapColours.DIVERGING, png);
        Dimension size = TrainingPlots.heatmapSize(tokens, keys, layers, heads);
        Dimension plain = TrainingPlots.heatmapSize(tokens, keys);
        assertTrue(size.width > plain.width && size.height > plain.height, "room for the group labels: " + size + " vs " + plain);
        readBack(png, size.width, size.height);
        assertThrows(IllegalArgumentException.class, () -> TrainingPlots.heatmap("groups", values, tokens, keys,
                new String[]{"layer 0"}, heads, HeatmapColours.DIVERGING, tmp.resolve("bad.png")));
    }
}
