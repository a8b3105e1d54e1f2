package io.elektron.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.function.IntConsumer;

/**
 * A progress bar over the inputs of predict, eval and encode, on standard error. Only for inputs long enough to take a
 * while: a bar for 50 lines would flash and clutter the output of quick calls.
 */
final class InferenceProgress implements IntConsumer, AutoCloseable {
    /** Inputs below this run without a bar (a few seconds at most on 2 cores). */
    static final int MIN_INPUTS = 2000;

    private final ProgressBar bar;

    InferenceProgress(String task, int inputs, PrintWriter err) {
        this.bar = inputs < MIN_INPUTS ? null : ProgressDisplay.forThisProcess(err).start(new ProgressBarBuilder()
                .setTaskName(task).setInitialMax(inputs).setStyle(ProgressBarStyle.ASCII).setUnit(" inputs", 1)
                .continuousUpdate());
    }

    @Override
    public void accept(int done) {
        if (bar != null) bar.stepBy(done);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
