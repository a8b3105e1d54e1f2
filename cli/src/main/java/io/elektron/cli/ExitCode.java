package io.elektron.cli;

/** Distinct exit codes so scripts can tell failures apart. */
public final class ExitCode {
    public static final int OK = 0;
    /** A bug or an unexpected condition (a stack trace is printed with --verbose). */
    public static final int INTERNAL = 1;
    /** Bad command line (unknown option, invalid value). */
    public static final int USAGE = 2;
    /** A bad input file: data, model folder, checkpoint, vocabulary. */
    public static final int BAD_INPUT = 3;
    /** Training diverged (NaN/Inf loss, gradient or weight); the last good checkpoint is kept. */
    public static final int DIVERGED = 4;
    /** The model could not be found or downloaded. */
    public static final int MODEL_UNAVAILABLE = 5;
    /** The results could not be written to standard output (a full disk, a closed pipe): they are incomplete. */
    public static final int OUTPUT_FAILED = 6;
    /** Stopped by Ctrl-C after saving a resumable checkpoint (128 + SIGINT, as shells report it). */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
