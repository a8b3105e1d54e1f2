package io.elektron.cli;

import me.tongfei.progressbar.ProgressBarConsumer;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * A progress bar for files, pipes and CI logs: each frame the bar renders becomes a plain line, at most one per
 * interval (a carriage-return frame per refresh would pile up there: about 1 MB for a 3-hour run), and the final frame
 * once the bar closes if any line was printed. Lines are never cut to a terminal width, so long statistics (FGM's
 * adversarial loss and perturbation norm) stay whole.
 */
final class PlainProgressLines implements ProgressBarConsumer {
    /** Room for the bar itself; the renderer shrinks the bar's graphic to fit the text around it. */
    private static final int RENDERED_LENGTH = 120;

    private final PrintWriter out;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long lastPrinted;
    private String latest;
    private String printed;

    /** @param nanoClock {@link System#nanoTime} (tests pass their own clock) */
    PlainProgressLines(PrintWriter out, long intervalNanos, LongSupplier nanoClock) {
        this.out = out;
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
        // The first line comes one interval after the start: a task shorter than that prints nothing.
        this.lastPrinted = nanoClock.getAsLong();
    }

    @Override
    public int getMaxRenderedLength() {
        return RENDERED_LENGTH;
    }

    @Override
    public synchronized void accept(String rendered) {
        latest = rendered;
        long now = nanoClock.getAsLong();
        if (now - lastPrinted >= intervalNanos) {
            print(rendered);
            lastPrinted = now;
        }
    }

    @Override
    public synchronized void close() {
        if (printed != null && latest != null && !latest.equals(printed)) print(latest);
    }

    private void print(String frame) {
        out.println(frame.strip());
        out.flush();
        printed = frame;
    }
}
