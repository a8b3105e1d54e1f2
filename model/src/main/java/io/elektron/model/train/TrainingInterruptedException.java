package io.elektron.model.train;

import java.nio.file.Path;

/** The run was asked to stop (Ctrl-C); a resumable checkpoint was saved first. */
public final class TrainingInterruptedException extends RuntimeException {
    private final Path checkpoint;

    public TrainingInterruptedException(Path checkpoint, long step) {
        super("interrupted after step " + step + "; resumable checkpoint saved at " + checkpoint
                + " (continue with the same options plus --resume " + checkpoint + ")");
        this.checkpoint = checkpoint;
    }

    /** The same stop, told the way the command that ran the training continues it. */
    public TrainingInterruptedException(Path checkpoint, String message) {
        super(message);
        this.checkpoint = checkpoint;
    }

    public Path checkpoint() {
        return checkpoint;
    }
}
