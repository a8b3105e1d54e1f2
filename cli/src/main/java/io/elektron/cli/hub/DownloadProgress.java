package io.elektron.cli.hub;

/**
 * Told about each file {@link HubModelResolver} downloads, so a CLI can draw a progress bar. Calls come from the
 * downloading thread, one file at a time: {@code start}, any number of {@code advance}, then {@code done} (also when the
 * download fails).
 */
public interface DownloadProgress {
    /** Does nothing: for callers that want no output. */
    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void start(String file, long totalBytes) {
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void done() {
        }
    };

    /** A download begins; {@code totalBytes} is -1 when the server does not say. */
    void start(String file, long totalBytes);

    /** {@code bytes} more bytes arrived (a delta, not a running total). */
    void advance(long bytes);

    /** The current file is finished, or its download failed. */
    void done();
}
