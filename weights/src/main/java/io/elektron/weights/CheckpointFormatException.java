package io.elektron.weights;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file is malformed, truncated, inconsistent, or uses a feature this module refuses (an unknown dtype,
 * a pickle opcode or global outside the allow-list, a big-endian torch archive).
 *
 * <p>The message always starts with the file and then names the place (tensor key, zip entry, pickle opcode and its
 * byte offset in {@code data.pkl}) and what was expected versus what was found, so that a user can tell a corrupt
 * download from an unsupported writer without a debugger.
 */
public class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file   the checkpoint being read or written
     * @param detail where the problem is and what was expected vs found
     */
    public CheckpointFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = file;
    }

    /** Same as {@link #CheckpointFormatException(Path, String)}, keeping the low-level cause. */
    public CheckpointFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = file;
    }

    /** The checkpoint the problem was found in. */
    public Path file() {
        return file;
    }
}
