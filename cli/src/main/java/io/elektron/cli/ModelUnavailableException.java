package io.elektron.cli;

/** The model named on the command line is neither a folder nor obtainable from the HF hub cache or network. */
public final class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
