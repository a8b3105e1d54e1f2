package io.elektron.cli;

import io.elektron.cli.hub.DownloadProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per downloaded file, in MiB (plain periodic lines when standard error is not a terminal). */
final class ConsoleDownloadProgress implements DownloadProgress {
    private final ProgressDisplay display;
    private ProgressBar bar;

    ConsoleDownloadProgress(ProgressDisplay display) {
        this.display = display;
    }

    @Override
    public void start(String file, long totalBytes) {
        bar = display.start(new ProgressBarBuilder().setTaskName("download " + file).setInitialMax(Math.max(totalBytes, 1))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1 << 20).showSpeed());
    }

    @Override
    public void advance(long bytes) {
        if (bar != null) bar.stepBy(bytes);
    }

    @Override
    public void done() {
        if (bar != null) bar.close();
        bar = null;
    }
}
