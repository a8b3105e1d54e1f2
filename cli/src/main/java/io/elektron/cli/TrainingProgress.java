package io.elektron.cli;

import io.elektron.model.train.EpochRecord;
import io.elektron.model.train.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A progress bar per epoch (loss, tokens/s, ETA), a line per epoch with dev scores. Closing it ends a bar still being
 * drawn, so that an error reported after a failed run starts on a line of its own.
 */
final class TrainingProgress implements TrainingListener, AutoCloseable {
    private final PrintWriter out;
    private final boolean quiet;
    private final String label;
    private final ProgressDisplay display;
    private ProgressBar bar;

    TrainingProgress(PrintWriter out, boolean quiet, String label, ProgressDisplay display) {
        this.out = out;
        this.quiet = quiet;
        this.label = label;
        this.display = display;
    }

    @Override
    public void onEpochStart(int epoch, int steps, int stepsDone) {
        if (quiet) return;
        closeBar();
        // The bar starts at the steps done before a restart so that its time estimate divides this process's time by
        // the steps this process took, not by all the epoch's steps so far.
        bar = display.start(new ProgressBarBuilder().setTaskName(label + "epoch " + epoch).setInitialMax(steps)
                .startsFrom(stepsDone, Duration.ZERO).setStyle(ProgressBarStyle.ASCII).continuousUpdate());
    }

    @Override
    public void onStep(StepEvent e) {
        if (bar == null) return;
        String adv = Double.isNaN(e.stats().adversarialLoss()) ? ""
                : String.format(" adv %.3f (%+.3f, |r| %.2f)", e.stats().adversarialLoss(), e.stats().lossIncrease(), e.stats().perturbationNorm());
        bar.setExtraMessage(String.format("loss %.4f%s %,.0f tok/s", e.loss(), adv, e.tokensPerSecond()));
        bar.stepTo(e.stepInEpoch());
    }

    @Override
    public void onEpoch(EpochRecord r) {
        closeBar();
        out.printf("%sepoch %d: train loss %.4f | dev micro-F1 %.4f macro-F1 %.4f (t=0.5), macro-F1 %.4f (t=%.2f) | %.0f s, %,.0f tok/s%n",
                label, r.epoch(), r.trainLoss(), r.devAtHalf().micro().f1(), r.devAtHalf().macro().f1(),
                r.devTuned().macro().f1(), r.devTuned().globalThreshold(), r.seconds(), r.tokensPerSecond());
        out.flush();
    }

    @Override
    public void onMessage(String message) {
        if (quiet) return;
        if (bar != null) display.clearBarLine();
        out.println(label + message);
        out.flush();
    }

    @Override
    public void close() {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
