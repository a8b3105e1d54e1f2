package io.elektron.cli.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardXYItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.statistics.StatisticalCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.text.DecimalFormat;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PNG charts of a run's report, drawn with JFreeChart: the loss per step, dev F1 per epoch, F1 per method with
 * error bars (the adversarial experiment), and a labelled heatmap (attention maps). Inputs are plain numbers and
 * strings so the charts do not depend on model classes. Every file is written to a temporary name and renamed, so a
 * report folder never holds half a PNG.
 */
public final class TrainingPlots {
    /** Size of the line and bar charts; a heatmap's size follows its number of rows and columns. */
    public static final int WIDTH = 960;
    public static final int HEIGHT = 600;

    static {
        // A CLI never opens a window; without this, AWT would look for a display (and fail over ssh / in containers).
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    // matplotlib's tab10: the colours readers of ML plots expect, and distinguishable by the colour-blind.
    private static final Color BLUE = new Color(0x1f77b4);
    private static final Color ORANGE = new Color(0xff7f0e);
    private static final Color GRID = new Color(0xdddddd);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    /** Above this many points a loss series is drawn faint and an exponential moving average drawn over it. */
    static final int SMOOTH_ABOVE = 100;

    private TrainingPlots() {
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Charts

    /**
     * The training loss per step.
     *
     * @param points one {@code {step, clean loss, adversarial loss}} per step; the adversarial loss is NaN (or absent)
     *               when the step had none, and a series with no finite value is left out
     */
    public static void lossCurve(List<double[]> points, Path png) throws IOException {
        lossCurve(points, "clean loss", png);
    }

    /** The same, naming the first series (pre-training plots its whole objective, which is no "clean" loss). */
    public static void lossCurve(List<double[]> points, String lossName, Path png) throws IOException {
        XYSeries clean = new XYSeries(lossName, false, true);
        XYSeries adversarial = new XYSeries("adversarial loss", false, true);
        for (double[] p : points) {
            if (p.length < 2) throw new IllegalArgumentException("a loss point is {step, clean loss[, adversarial loss]}, got " + p.length + " values");
            if (Double.isFinite(p[1])) clean.add(p[0], p[1]);
            if (p.length > 2 && Double.isFinite(p[2])) adversarial.add(p[0], p[2]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (XYSeries s : List.of(clean, adversarial)) {
            if (s.getItemCount() == 0) continue;
            Color colour = s == clean ? BLUE : ORANGE;
            if (s.getItemCount() > SMOOTH_ABOVE) {
                // Per-step loss is noise around a trend: show the raw steps faintly and the trend on top.
                int raw = add(data, s);
                renderer.setSeriesPaint(raw, withAlpha(colour, 70));
                renderer.setSeriesStroke(raw, new BasicStroke(1f));
                renderer.setSeriesVisibleInLegend(raw, false);
                int smooth = add(data, smoothed(s));
                renderer.setSeriesPaint(smooth, colour);
                renderer.setSeriesStroke(smooth, new BasicStroke(2.2f));
            } else {
                int i = add(data, s);
                renderer.setSeriesPaint(i, colour);
                renderer.setSeriesStroke(i, new BasicStroke(2f));
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Training loss", "step", "loss", data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setRenderer(renderer);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        style(chart);
        write(chart, WIDTH, HEIGHT, png);
    }

    /**
     * Dev micro-F1 at threshold 0.5 and dev macro-F1 at that epoch's tuned global threshold (the score that picks the
     * best checkpoint) after each epoch, the values printed at the points when there are few epochs.
     */
    public static void f1Curves(int[] epochs, double[] devMicroF1, double[] devMacroF1, Path png) throws IOException {
        sameLength("epochs", epochs.length, "devMicroF1", devMicroF1.length);
        sameLength("epochs", epochs.length, "devMacroF1", devMacroF1.length);
        XYSeries micro = new XYSeries("dev micro-F1 at 0.5", false, true);
        XYSeries macro = new XYSeries("dev macro-F1 at the tuned threshold", false, true);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < epochs.length; i++) {
            for (double v : new double[]{devMicroF1[i], devMacroF1[i]}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (Double.isFinite(devMicroF1[i])) micro.add(epochs[i], devMicroF1[i]);
            if (Double.isFinite(devMacroF1[i])) macro.add(epochs[i], devMacroF1[i]);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(micro);
        data.addSeries(macro);
        JFreeChart chart = ChartFactory.createXYLineChart("Dev F1 per epoch", "epoch", "F1", data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        Color[] colours = {BLUE, ORANGE};
        for (int s = 0; s < 2; s++) {
            renderer.setSeriesPaint(s, colours[s]);
            renderer.setSeriesStroke(s, new BasicStroke(2f));
            renderer.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        if (epochs.length <= 15) {
            renderer.setDefaultItemLabelGenerator(new StandardXYItemLabelGenerator("{2}", new DecimalFormat("0"), new DecimalFormat("0.000")));
            renderer.setDefaultItemLabelsVisible(true);
            renderer.setDefaultItemLabelFont(TICK_FONT);
            // Micro-F1 is usually the higher curve (frequent labels dominate it): its values above, macro's below.
            renderer.setSeriesPositiveItemLabelPosition(0, new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
            renderer.setSeriesPositiveItemLabelPosition(1, new ItemLabelPosition(ItemLabelAnchor.OUTSIDE6, TextAnchor.TOP_CENTER));
        }
        plot.setRenderer(renderer);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (epochs.length > 0) {
            int first = Integer.MAX_VALUE;
            int last = Integer.MIN_VALUE;
            for (int e : epochs) {
                first = Math.min(first, e);
                last = Math.max(last, e);
            }
            x.setRange(first - 0.5, last + 0.5);
        }
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setNumberFormatOverride(new DecimalFormat("0.00"));
        if (lo <= hi) {
            // Zoom on the data (epoch-to-epoch changes are small) but keep room for the value labels, within [0, 1].
            double pad = Math.max(0.02, 0.15 * (hi - lo));
            y.setRange(Math.max(0, lo - pad), Math.min(1, hi + pad) + (hi + pad > 1 ? 0.02 : 0));
        }
        style(chart);
        write(chart, WIDTH, HEIGHT, png);
    }

    /**
     * Macro- and micro-F1 per method as bars of the mean with one standard deviation as error bars (the adversarial
     * experiment: one bar pair per method, over seeds). A NaN standard deviation (one seed) draws no error bar.
     */
    public static void methodComparison(List<String> methods, double[] meanMacroF1, double[] stdMacroF1,
                                        double[] meanMicroF1, double[] stdMicroF1, Path png) throws IOException {
        int n = methods.size();
        sameLength("methods", n, "meanMacroF1", meanMacroF1.length);
        sameLength("methods", n, "stdMacroF1", stdMacroF1.length);
        sameLength("methods", n, "meanMicroF1", meanMicroF1.length);
        sameLength("methods", n, "stdMicroF1", stdMicroF1.length);
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        double top = 0;
        for (int i = 0; i < n; i++) {
            data.add(finiteOrNull(meanMacroF1[i]), finiteOrNull(stdMacroF1[i]), "macro-F1", methods.get(i));
            data.add(finiteOrNull(meanMicroF1[i]), finiteOrNull(stdMicroF1[i]), "micro-F1", methods.get(i));
            top = Math.max(top, upper(meanMacroF1[i], stdMacroF1[i]));
            top = Math.max(top, upper(meanMicroF1[i], stdMicroF1[i]));
        }
        JFreeChart chart = ChartFactory.createBarChart("F1 by method (mean \u00b1 std over seeds)", "method", "F1", data,
                PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setItemMargin(0.04);
        renderer.setMaximumBarWidth(0.12);
        renderer.setSeriesPaint(0, BLUE);
        renderer.setSeriesPaint(1, ORANGE);
        renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
        renderer.setErrorIndicatorStroke(new BasicStroke(1.5f));
        // "mean ± std" written up the inside of each bar: above it would collide with the error bar.
        renderer.setDefaultItemLabelGenerator(new MeanStdLabel());
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(TICK_FONT);
        renderer.setDefaultItemLabelPaint(Color.WHITE);
        renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(ItemLabelAnchor.INSIDE6, TextAnchor.CENTER_LEFT,
                TextAnchor.CENTER_LEFT, -Math.PI / 2));
        plot.setRenderer(renderer);
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setRange(0, top > 0 ? Math.min(1.0, top * 1.08 + 0.01) : 1.0);
        y.setNumberFormatOverride(new DecimalFormat("0.00"));
        CategoryAxis x = plot.getDomainAxis();
        x.setMaximumCategoryLabelLines(2);
        if (n > 6) x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        style(chart);
        write(chart, WIDTH, HEIGHT, png);
    }

    /**
     * One metric of the adversarial experiment: every seed's score as a dot (so three seeds look like three seeds, not
     * like a bar), each method's mean as a bar-less marker with its 95% interval, methods along x.
     *
     * @param perSeed {@code perSeed[m]} the scores of method m, one per finished seed (may be empty)
     * @param ciLow   {@code [M]} lower end of the mean's 95% interval (NaN: none drawn, e.g. one seed)
     */
    public static void seedComparison(String metric, List<String> methods, double[][] perSeed, double[] ciLow,
                                      double[] ciHigh, Path png) throws IOException {
        int n = methods.size();
        sameLength("methods", n, "perSeed", perSeed.length);
        sameLength("methods", n, "ciLow", ciLow.length);
        sameLength("methods", n, "ciHigh", ciHigh.length);
        XYSeries seeds = new XYSeries("one seed", false, true);
        YIntervalSeries means = new YIntervalSeries("mean, 95% interval");
        for (int m = 0; m < n; m++) {
            double[] v = perSeed[m];
            if (v.length == 0) continue;
            double mean = Arrays.stream(v).average().orElseThrow();
            for (int s = 0; s < v.length; s++) {
                // Seeds side by side around the method's position, left of the mean marker.
                seeds.add(m - 0.18 + 0.06 * s / Math.max(1, v.length - 1), v[s]);
            }
            boolean interval = Double.isFinite(ciLow[m]) && Double.isFinite(ciHigh[m]);
            means.add(m + 0.08, mean, interval ? ciLow[m] : mean, interval ? ciHigh[m] : mean);
        }
        XYSeriesCollection seedData = new XYSeriesCollection(seeds);
        YIntervalSeriesCollection meanData = new YIntervalSeriesCollection();
        meanData.addSeries(means);
        SymbolAxis x = new SymbolAxis("method", methods.toArray(new String[0]));
        x.setRange(-0.6, n - 0.4);
        x.setGridBandsVisible(false);
        NumberAxis y = new NumberAxis(metric);
        y.setAutoRangeIncludesZero(false);
        y.setNumberFormatOverride(new DecimalFormat("0.000"));
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        dots.setSeriesPaint(0, withAlpha(BLUE, 200));
        dots.setSeriesShape(0, new Ellipse2D.Double(-4, -4, 8, 8));
        XYErrorRenderer meanRenderer = new XYErrorRenderer();
        meanRenderer.setDrawXError(false);
        meanRenderer.setDefaultLinesVisible(false);
        meanRenderer.setSeriesPaint(0, ORANGE);
        meanRenderer.setSeriesShape(0, new java.awt.Rectangle(-6, -2, 12, 4));
        meanRenderer.setErrorPaint(Color.DARK_GRAY);
        meanRenderer.setErrorStroke(new BasicStroke(1.5f));
        meanRenderer.setCapLength(10);
        XYPlot plot = new XYPlot(seedData, x, y, dots);
        plot.setDataset(1, meanData);
        plot.setRenderer(1, meanRenderer);
        JFreeChart chart = new JFreeChart("test " + metric + ": every seed, mean and 95% interval", TITLE_FONT, plot, true);
        style(chart);
        write(chart, WIDTH, HEIGHT, png);
    }

    /**
     * A matrix as coloured cells ({@link HeatmapColours#SEQUENTIAL}) with a colour scale, row 0 at the top, each row and
     * column labelled (e.g. the tokens of an attention map). Small matrices also get each cell's value printed. NaN
     * cells stay grey.
     */
    public static void heatmap(String title, float[][] values, String[] rowLabels, String[] colLabels, Path png) throws IOException {
        heatmap(title, values, rowLabels, colLabels, HeatmapColours.SEQUENTIAL, png);
    }

    /** The same in the given colours: {@link HeatmapColours#DIVERGING} for signed values such as attributions. */
    public static void heatmap(String title, float[][] values, String[] rowLabels, String[] colLabels, HeatmapColours colours,
                               Path png) throws IOException {
        heatmap(title, values, rowLabels, colLabels, null, null, colours, png);
    }

    /**
     * The same, with a second set of labels on the opposite sides: {@code rowGroups} on the right, {@code colGroups} on
     * top (null: none). For a matrix of tiles, such as every attention map of a model, the tiles' names go there and
     * the rows and columns keep their own (the tokens). Where cells are too small for a label each, only every few
     * row or column labels are drawn.
     */
    public static void heatmap(String title, float[][] values, String[] rowLabels, String[] colLabels, String[] rowGroups,
                               String[] colGroups, HeatmapColours colours, Path png) throws IOException {
        int rows = values.length;
        int cols = rows == 0 ? 0 : values[0].length;
        if (rows == 0 || cols == 0) throw new IllegalArgumentException("heatmap of an empty matrix");
        for (float[] row : values) sameLength("columns", cols, "a row of values", row.length);
        sameLength("rows", rows, "rowLabels", rowLabels.length);
        sameLength("columns", cols, "colLabels", colLabels.length);
        if (rowGroups != null) sameLength("rows", rows, "rowGroups", rowGroups.length);
        if (colGroups != null) sameLength("columns", cols, "colGroups", colGroups.length);

        float dataLo = Float.POSITIVE_INFINITY;
        float dataHi = Float.NEGATIVE_INFINITY;
        int finite = 0;
        for (float[] row : values) {
            for (float v : row) {
                if (Float.isFinite(v)) {
                    dataLo = Math.min(dataLo, v);
                    dataHi = Math.max(dataHi, v);
                    finite++;
                }
            }
        }
        if (finite == 0) {
            dataLo = 0;
            dataHi = 1;
        } else if (dataHi == dataLo) {
            dataHi = dataLo + 1;
        }
        double[] range = colours.range(dataLo, dataHi);
        double lo = range[0];
        double hi = range[1];
        double[][] xyz = new double[3][finite];
        for (int r = 0, k = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (!Float.isFinite(values[r][c])) continue;
                xyz[0][k] = c;
                xyz[1][k] = r;
                xyz[2][k++] = values[r][c];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("values", xyz);

        LookupPaintScale scale = colours.paintScale(lo, hi, Color.LIGHT_GRAY);
        XYBlockRenderer renderer = new XYBlockRenderer();
        renderer.setPaintScale(scale);

        int cell = heatmapCell(rows, cols);
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(7, Math.min(12, cell - 2)));
        SymbolAxis x = new SymbolAxis(null, labelsWithRoom(colLabels, cell));
        x.setVerticalTickLabels(true);
        x.setRange(-0.5, cols - 0.5);
        SymbolAxis y = new SymbolAxis(null, labelsWithRoom(rowLabels, cell));
        y.setInverted(true);
        y.setRange(-0.5, rows - 0.5);
        List<SymbolAxis> axes = new java.util.ArrayList<>(List.of(x, y));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        if (colGroups != null) {
            SymbolAxis top = new GroupAxis(colGroups, TextAnchor.BOTTOM_CENTER);
            top.setRange(-0.5, cols - 0.5);
            plot.setDomainAxis(1, top);
            plot.setDomainAxisLocation(1, AxisLocation.TOP_OR_LEFT);
            axes.add(top);
        }
        if (rowGroups != null) {
            SymbolAxis right = new GroupAxis(rowGroups, TextAnchor.CENTER_LEFT);
            right.setInverted(true);
            right.setRange(-0.5, rows - 0.5);
            plot.setRangeAxis(1, right);
            plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
            axes.add(right);
        }
        for (SymbolAxis a : axes) {
            a.setGridBandsVisible(false);
            a.setTickLabelFont(a == x || a == y ? tickFont : TICK_FONT);
            a.setLowerMargin(0);
            a.setUpperMargin(0);
        }
        plot.setBackgroundPaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setOutlineVisible(false);
        if (cell >= 36 && rows * cols <= 400) {
            Font valueFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    float v = values[r][c];
                    if (!Float.isFinite(v)) continue;
                    XYTextAnnotation a = new XYTextAnnotation(cellValue(v), c, r);
                    a.setFont(valueFont);
                    a.setPaint(colours.darkAt((v - lo) / (hi - lo)) ? Color.WHITE : Color.BLACK);
                    plot.addAnnotation(a);
                }
            }
        }

        JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, false);
        NumberAxis scaleAxis = new NumberAxis();
        scaleAxis.setRange(lo, hi);
        scaleAxis.setTickLabelFont(TICK_FONT);
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(16);
        legend.setAxisOffset(4);
        legend.setMargin(new RectangleInsets(10, 12, 10, 10));
        legend.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setPadding(new RectangleInsets(8, 8, 8, 8));
        Dimension size = heatmapSize(rowLabels, colLabels, rowGroups, colGroups);
        write(chart, size.width, size.height, png);
    }

    /**
     * A cell's value as printed in it, in at most about seven characters: two decimals from 0.01 up (attention weights,
     * probabilities), and two significant digits in scientific notation below (gradient x input attributions are often
     * of order 1e-4, which two decimals would print as 0.00 in every cell).
     */
    static String cellValue(float v) {
        if (v == 0) return "0";
        float magnitude = Math.abs(v);
        if (magnitude >= 0.01f && magnitude < 1e4f) return String.format(Locale.ROOT, "%.2f", v);
        int exponent = (int) Math.floor(Math.log10(magnitude));
        double mantissa = v / Math.pow(10, exponent);
        if (Math.abs(Math.round(mantissa * 10) / 10.0) >= 10) { // 9.96e-4 rounds to 10.0e-4: write 1.0e-3
            mantissa /= 10;
            exponent++;
        }
        return String.format(Locale.ROOT, "%.1fe%d", mantissa, exponent);
    }

    /** Labels with every few left blank where cells are smaller than a line of the smallest tick font. */
    static String[] labelsWithRoom(String[] labels, int cell) {
        int every = (int) Math.ceil(9.0 / cell);
        if (every <= 1) return labels;
        String[] kept = new String[labels.length];
        for (int i = 0; i < labels.length; i++) kept[i] = i % every == 0 ? labels[i] : "";
        return kept;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sizes and styling

    /** The image size {@link #heatmap} draws for these labels: cells of {@link #heatmapCell} pixels plus room for the labels. */
    static Dimension heatmapSize(String[] rowLabels, String[] colLabels) {
        return heatmapSize(rowLabels, colLabels, null, null);
    }

    /** The same with group labels (null: none) on the right and on top. */
    static Dimension heatmapSize(String[] rowLabels, String[] colLabels, String[] rowGroups, String[] colGroups) {
        int rows = rowLabels.length;
        int cols = colLabels.length;
        int cell = heatmapCell(rows, cols);
        int charPx = Math.max(5, Math.min(8, cell - 4));
        int rowLabelPx = Math.min(220, 16 + charPx * longest(rowLabels));
        int colLabelPx = Math.min(220, 16 + charPx * longest(colLabels));
        int rowGroupPx = rowGroups == null ? 0 : 16 + 8 * longest(rowGroups);
        int colGroupPx = colGroups == null ? 0 : 24;
        int width = Math.max(360, 40 + rowLabelPx + cols * cell + rowGroupPx + 110);
        int height = Math.max(300, 70 + colGroupPx + rows * cell + colLabelPx);
        return new Dimension(width, height);
    }

    /** Cells large enough to read a label beside each; a very large matrix gets smaller cells, within 2400 pixels. */
    static int heatmapCell(int rows, int cols) {
        int n = Math.max(rows, cols);
        int cell = Math.max(12, Math.min(40, 720 / n));
        if (n * cell > 2400) cell = Math.max(2, 2400 / n);
        return cell;
    }

    private static void style(JFreeChart chart) {
        chart.setAntiAlias(true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 16));
        if (chart.getTitle() != null) chart.getTitle().setFont(TITLE_FONT);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LEGEND_FONT);
            legend.setFrame(BlockBorder.NONE);
            legend.setBackgroundPaint(Color.WHITE);
        }
        Plot plot = chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Color.GRAY);
        plot.setNoDataMessage("no data");
        plot.setNoDataMessageFont(LABEL_FONT);
        if (plot instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(GRID);
            xy.setRangeGridlinePaint(GRID);
            xy.setDomainGridlineStroke(new BasicStroke(1f));
            xy.setRangeGridlineStroke(new BasicStroke(1f));
            styleAxis(xy.getDomainAxis());
            styleAxis(xy.getRangeAxis());
        } else if (plot instanceof CategoryPlot cp) {
            cp.setRangeGridlinePaint(GRID);
            cp.setRangeGridlineStroke(new BasicStroke(1f));
            cp.getDomainAxis().setLabelFont(LABEL_FONT);
            cp.getDomainAxis().setTickLabelFont(LABEL_FONT);
            styleAxis(cp.getRangeAxis());
        }
    }

    private static void styleAxis(ValueAxis axis) {
        axis.setLabelFont(LABEL_FONT);
        axis.setTickLabelFont(TICK_FONT);
    }

    /**
     * An axis of a few labels among many positions (a tile's name beside its middle row): a tick at each label only.
     * A {@link SymbolAxis} ticks every position and drops a label that is wider than the gap to the previous tick,
     * blank or not, so labels wider than a cell would vanish.
     */
    private static final class GroupAxis extends SymbolAxis {
        private final TextAnchor anchor;

        GroupAxis(String[] labels, TextAnchor anchor) {
            super(null, labels);
            this.anchor = anchor;
        }

        @Override
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List<NumberTick> ticks = new java.util.ArrayList<>();
            String[] labels = getSymbols();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] != null && !labels[i].isEmpty()) ticks.add(new NumberTick(i, labels[i], anchor, anchor, 0));
            }
            return ticks;
        }
    }

    /** Labels each bar "mean ± std" (just the mean when the std is missing). */
    private static final class MeanStdLabel implements CategoryItemLabelGenerator {
        @Override
        public String generateRowLabel(CategoryDataset dataset, int row) {
            return dataset.getRowKey(row).toString();
        }

        @Override
        public String generateColumnLabel(CategoryDataset dataset, int column) {
            return dataset.getColumnKey(column).toString();
        }

        @Override
        public String generateLabel(CategoryDataset dataset, int row, int column) {
            Number mean = dataset.getValue(row, column);
            if (mean == null) return null;
            Number std = ((StatisticalCategoryDataset) dataset).getStdDevValue(row, column);
            return std == null ? String.format(Locale.ROOT, "%.3f", mean.doubleValue())
                    : String.format(Locale.ROOT, "%.3f \u00b1 %.3f", mean.doubleValue(), std.doubleValue());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Helpers

    /**
     * An exponential moving average with TensorBoard's bias correction (so the first steps are not pulled to zero),
     * averaging over about 1/50 of the run.
     */
    static XYSeries smoothed(XYSeries s) {
        int n = s.getItemCount();
        double span = Math.max(2, Math.min(500, n / 50.0));
        double beta = 1 - 1 / span;
        XYSeries out = new XYSeries(s.getKey() + " (smoothed)", false, true);
        double avg = 0;
        double weight = 0;
        for (int i = 0; i < n; i++) {
            avg = beta * avg + (1 - beta) * s.getY(i).doubleValue();
            weight = beta * weight + (1 - beta);
            out.add(s.getX(i), avg / weight);
        }
        return out;
    }

    private static int add(XYSeriesCollection data, XYSeries s) {
        data.addSeries(s);
        return data.getSeriesCount() - 1;
    }

    private static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double upper(double mean, double std) {
        if (!Double.isFinite(mean)) return 0;
        return mean + (Double.isFinite(std) ? std : 0);
    }

    private static int longest(String[] labels) {
        int n = 1;
        for (String s : labels) n = Math.max(n, s == null ? 0 : s.length());
        return n;
    }

    private static void sameLength(String what, int expected, String other, int actual) {
        if (expected != actual) {
            throw new IllegalArgumentException(other + " has " + actual + " entries but there are " + expected + " " + what);
        }
    }

    private static void write(JFreeChart chart, int width, int height, Path png) throws IOException {
        Path dir = png.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not Files.createTempFile: its owner-only permissions would survive the rename; CREATE_NEW leaves them to the umask.
        Path tmp = dir.resolve("." + png.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
                ChartUtils.writeChartAsPNG(out, chart, width, height);
            }
            try {
                Files.move(tmp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
