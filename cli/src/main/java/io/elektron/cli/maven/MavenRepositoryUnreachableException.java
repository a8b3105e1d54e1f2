package io.elektron.cli.maven;

import java.io.IOException;

/**
 * The remote Maven repository could not be reached at all (no network, unknown host, refused connection, proxy), as
 * opposed to answering with an error: the caller words this as "offline with nothing cached".
 */
final class MavenRepositoryUnreachableException extends IOException {
    private final String reason;

    MavenRepositoryUnreachableException(String repository, String reason, Throwable cause) {
        super("cannot reach " + repository + " (" + reason + ")", cause);
        this.reason = reason;
    }

    /** Why, in a few words: "unknown host", "connection refused", ... */
    String reason() {
        return reason;
    }
}
