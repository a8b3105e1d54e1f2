package io.elektron.cli.maven;

import java.io.IOException;

/**
 * A model named by a Maven coordinate could not be had: not found, unreachable repository, corrupt download, a jar
 * that is not one model, a failed conversion. The message is one line meant for the user as is.
 */
public final class MavenModelException extends IOException {
    public MavenModelException(String message) {
        super(message);
    }

    public MavenModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
