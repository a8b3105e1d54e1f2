package io.elektron.cli.hub;

import java.io.IOException;

/**
 * A model could not be resolved from the HF hub or its cache. The message is one line meant for the user as is
 * (HTTP status and URL, "repository not found", unreachable network, offline mode); no stack trace needed.
 */
public final class HubException extends IOException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
