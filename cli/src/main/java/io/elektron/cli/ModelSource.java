package io.elektron.cli;

import io.elektron.cli.hub.HubModelResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns a --model argument (a folder, or an HF hub id found in / downloaded into the HF cache) into a folder. */
final class ModelSource {
    private ModelSource() {
    }

    static Path resolve(String model) {
        Path local = Path.of(model);
        if (Files.isDirectory(local)) return local;
        try {
            ProgressDisplay display = ProgressDisplay.forThisProcess(new java.io.PrintWriter(System.err, true));
            return HubModelResolver.fromEnvironment(new ConsoleDownloadProgress(display)).resolve(model);
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException("--model " + model + ": " + e.getMessage(), e);
        }
    }
}
