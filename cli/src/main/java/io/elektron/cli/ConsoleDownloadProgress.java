package io.elektron.cli;

import io.elektron.cli.hub.DownloadProgress;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per downloaded file, in MiB. */
final class ConsoleDownloadProgress implements DownloadProgress {
    private ProgressBar bar;

    @Override
    public void start(String file, long totalBytes) {
        bar = new ProgressBarBuilder().setTaskName("download " + file).setInitialMax(Math.max(totalBytes, 1))
                .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1 << 20).showSpeed().build();
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
