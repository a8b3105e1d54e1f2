package io.elektron.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Where progress bars are drawn. On a terminal: a bar redrawn in place (carriage returns) on standard error. Anywhere
 * else (output redirected to a file, a pipe, a CI log): {@link PlainProgressLines}, a plain line every
 * {@link #PLAIN_LINE_INTERVAL}.
 */
final class ProgressDisplay {
    static final Duration PLAIN_LINE_INTERVAL = Duration.ofSeconds(10);

    private final boolean terminal;
    private final PrintWriter plainLines;
    private final Duration plainLineInterval;

    /** @param plainLines where the plain lines go when there is no terminal (the command's standard error) */
    ProgressDisplay(boolean terminal, PrintWriter plainLines) {
        this(terminal, plainLines, PLAIN_LINE_INTERVAL);
    }

    /** @param plainLineInterval the least time between two plain lines (tests pass zero to see every frame) */
    ProgressDisplay(boolean terminal, PrintWriter plainLines, Duration plainLineInterval) {
        this.terminal = terminal;
        this.plainLines = plainLines;
        this.plainLineInterval = plainLineInterval;
    }

    /** For this process: a terminal when the JVM has a console (standard input and output are both a terminal). */
    static ProgressDisplay forThisProcess(PrintWriter plainLines) {
        return new ProgressDisplay(System.console() != null, plainLines);
    }

    ProgressBar start(ProgressBarBuilder builder) {
        // The library's default consumer on a terminal with cursor control reserves a line and moves the cursor up
        // to redraw it, which breaks when messages are printed between frames; a carriage-return bar does not.
        return builder.setConsumer(terminal ? new ConsoleProgressBarConsumer(System.err)
                : new PlainProgressLines(plainLines, plainLineInterval.toNanos(), System::nanoTime)).build();
    }

    /**
     * Call before printing a message while a bar is being drawn: on a terminal the bar's half-drawn line is erased, so
     * the message starts at the left edge instead of after the bar (the bar is redrawn on the next line).
     */
    void clearBarLine() {
        if (!terminal) return;
        System.err.print("\r\033[K");
        System.err.flush();
    }
}
