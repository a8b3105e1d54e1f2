package io.elektron.cli;

/**
 * The model named on the command line is neither a folder nor obtainable from a Maven artifact or the HF hub (their
 * caches or the network).
 */
public final class ModelUnavailableException extends RuntimeException {
    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
