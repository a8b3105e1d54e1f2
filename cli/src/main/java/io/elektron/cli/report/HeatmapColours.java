package io.elektron.cli.report;

import org.jfree.chart.renderer.LookupPaintScale;

import java.awt.Color;

/**
 * How a heatmap turns values into colours. {@link #SEQUENTIAL} for magnitudes (attention weights, entropies): dark is
 * low, bright is high. {@link #DIVERGING} for signed values (token attributions): the scale is symmetric about zero,
 * zero is the neutral near-white middle, and the sign is the hue (blue below zero, red above), so a small positive and
 * a small negative score never look alike, whatever the scale's magnitude.
 */
public enum HeatmapColours {
    /** Matplotlib's viridis: perceptually uniform and readable in greyscale. */
    SEQUENTIAL(new int[]{0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e, 0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725}),
    /** ColorBrewer's red-blue, blue for negative, near-white at zero, red for positive; readable by the colour-blind. */
    DIVERGING(new int[]{0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b});

    /**
     * Colour bins of a scale. Odd, so that one bin is centred on the middle of the range: zero, for a diverging scale,
     * gets exactly the neutral colour.
     */
    private static final int BINS = 255;

    private final int[] stops;

    HeatmapColours(int[] stops) {
        this.stops = stops;
    }

    /** The colour at {@code t} in [0, 1] (clamped), the stops evenly spaced and linearly interpolated. */
    public Color at(double t) {
        double pos = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) pos);
        double f = pos - i;
        int a = stops[i];
        int b = stops[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    /**
     * The range the colours span for data between {@code lo} and {@code hi} (finite, lo < hi): the data's own range for
     * {@link #SEQUENTIAL}; for {@link #DIVERGING}, from minus to plus the largest magnitude, so that zero is the middle.
     */
    double[] range(double lo, double hi) {
        if (this == SEQUENTIAL) return new double[]{lo, hi};
        double m = Math.max(Math.abs(lo), Math.abs(hi));
        return new double[]{-m, m};
    }

    /** A paint scale over {@code [lo, hi]} (from {@link #range}); values outside it and NaN get {@code outside}. */
    LookupPaintScale paintScale(double lo, double hi, Color outside) {
        LookupPaintScale scale = new LookupPaintScale(lo, hi, outside);
        // Each bin takes the colour of its centre.
        for (int i = 0; i < BINS; i++) scale.add(lo + (hi - lo) * i / BINS, at((i + 0.5) / BINS));
        return scale;
    }

    /** Whether text written on the colour at {@code t} should be white (on the map's dark parts) rather than black. */
    boolean darkAt(double t) {
        return this == SEQUENTIAL ? t < 0.6 : Math.abs(t - 0.5) > 0.3;
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }
}
