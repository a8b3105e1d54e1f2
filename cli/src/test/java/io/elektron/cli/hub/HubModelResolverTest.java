package io.elektron.cli.hub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubModelResolverTest {
    @TempDir
    Path tmp;
    FakeHub hub;
    Path cacheRoot;
    Path home;

    @BeforeEach
    void start() throws IOException {
        hub = FakeHub.withFixtureRepo();
        cacheRoot = tmp.resolve("cache");
        home = Files.createDirectories(tmp.resolve("home"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_HUB_CACHE", cacheRoot.toString());
        env.put("HF_ENDPOINT", hub.endpoint());
        for (int i = 0; i < extra.length; i += 2) env.put(extra[i], extra[i + 1]);
        return env;
    }

    private HubModelResolver resolver(String... extra) {
        return new HubModelResolver(env(extra), home, DownloadProgress.NONE);
    }

    private Path snapshotDir() {
        return cacheRoot.resolve("models--test-org--tiny-electra").resolve("snapshots").resolve(FakeHub.COMMIT);
    }

    /** Records every progress call, to check the start/advance/done protocol. */
    static final class RecordingProgress implements DownloadProgress {
        final List<String> events = new ArrayList<>();
        final Map<String, Long> totals = new HashMap<>();
        final Map<String, Long> advanced = new HashMap<>();
        String current;

        @Override
        public void start(String file, long totalBytes) {
            events.add("start " + file);
            totals.put(file, totalBytes);
            current = file;
        }

        @Override
        public void advance(long bytes) {
            advanced.merge(current, bytes, Long::sum);
        }

        @Override
        public void done() {
            events.add("done " + current);
        }
    }

    @Test
    void downloadsIntoTheCacheLayoutThenFindsItThereWithoutAnyRequest() throws IOException {
        RecordingProgress progress = new RecordingProgress();
        Path folder = new HubModelResolver(env(), home, progress).resolve("test-org/tiny-electra");

        assertEquals(snapshotDir(), folder);
        for (String f : FakeHub.FIXTURE_FILES) {
            assertArrayEquals(Files.readAllBytes(FakeHub.fixture(f)), Files.readAllBytes(folder.resolve(f)), f);
        }
        Path repo = cacheRoot.resolve("models--test-org--tiny-electra");
        assertEquals(FakeHub.COMMIT, Files.readString(repo.resolve("refs/main")));
        assertFalse(Files.exists(folder.resolve("pytorch_model.bin")), "the .bin is not fetched when safetensors exists");
        assertFalse(Files.exists(folder.resolve("tokenizer.json")));
        assertTrue(Files.exists(repo.resolve(".no_exist").resolve(FakeHub.COMMIT).resolve("tokenizer.json")),
                "a missing optional file is remembered, as Python's cache does");
        try (Stream<Path> all = Files.walk(cacheRoot)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().endsWith(".incomplete")), "no temporary files left");
        }
        if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Downloads get the permissions any new file gets (the umask), not temp files' owner-only 0600.
            Path plain = Files.createFile(tmp.resolve("plain"));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(folder.resolve("model.safetensors")));
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(repo.resolve("refs/main")));
        }
        // Every file after the API call is pinned to the commit, so a push mid-download cannot mix two versions.
        assertTrue(hub.requests.get(0).path().startsWith("/api/models/test-org/tiny-electra/revision/main"));
        for (FakeHub.Request r : hub.requests.subList(1, hub.requests.size())) {
            assertTrue(r.path().contains("/resolve/" + FakeHub.COMMIT + "/"), r.path());
        }

        for (String f : FakeHub.FIXTURE_FILES) {
            long size = Files.size(FakeHub.fixture(f));
            assertEquals(size, progress.totals.get(f), "total bytes of " + f);
            assertEquals(size, progress.advanced.get(f), "advanced bytes of " + f);
        }
        assertEquals(List.of("start config.json", "done config.json", "start model.safetensors", "done model.safetensors",
                "start vocab.txt", "done vocab.txt", "start tokenizer_config.json", "done tokenizer_config.json",
                "start special_tokens_map.json", "done special_tokens_map.json"), progress.events);

        hub.requests.clear();
        assertEquals(folder, resolver().resolve("test-org/tiny-electra"));
        assertEquals(folder, resolver().resolve("test-org/tiny-electra@" + FakeHub.COMMIT));
        assertEquals(0, hub.requestCount(), "a complete cached snapshot needs no request: " + hub.requests);
    }

    @Test
    void offlineWithAnEmptyCacheSaysSoAndMakesNoRequest() {
        HubException e = assertThrows(HubException.class, () -> resolver("HF_HUB_OFFLINE", "1").resolve("test-org/tiny-electra"));
        assertTrue(e.getMessage().contains("not in the HF cache"), e.getMessage());
        assertTrue(e.getMessage().contains("offline mode is on (HF_HUB_OFFLINE=1)"), e.getMessage());
        assertTrue(e.getMessage().contains(cacheRoot.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        e = assertThrows(HubException.class, () -> resolver("TRANSFORMERS_OFFLINE", "true").resolve("test-org/tiny-electra"));
        assertTrue(e.getMessage().contains("TRANSFORMERS_OFFLINE"), e.getMessage());
        assertEquals(0, hub.requestCount());
        assertFalse(Files.exists(cacheRoot), "offline resolution writes nothing");
    }

    @Test
    void findsACacheWrittenByPythonOffline() throws IOException {
        // Python's layout: blobs named by hash, snapshot entries are relative symlinks into blobs/, refs/main holds the commit.
        String commit = "fedcba9876543210fedcba9876543210fedcba98";
        Path repo = cacheRoot.resolve("models--google--electra-small-discriminator");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
        Files.createDirectories(repo.resolve("blobs"));
        for (String f : List.of("config.json", "model.safetensors", "vocab.txt")) {
            byte[] bytes = Files.readAllBytes(FakeHub.fixture(f));
            String blob = FakeHub.sha256(bytes);
            Files.write(repo.resolve("blobs").resolve(blob), bytes);
            Files.createSymbolicLink(snapshot.resolve(f), Path.of("..", "..", "blobs", blob));
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit);
        Files.createDirectories(repo.resolve("refs/refs/pr"));
        Files.writeString(repo.resolve("refs/refs/pr/1"), commit + "\n");

        HubModelResolver offline = resolver("HF_HUB_OFFLINE", "1");
        assertEquals(snapshot, offline.resolve("google/electra-small-discriminator"));
        assertEquals(snapshot, offline.resolve("google/electra-small-discriminator@refs/pr/1"));
        assertEquals(snapshot, offline.resolve("google/electra-small-discriminator@" + commit));
        HubException e = assertThrows(HubException.class, () -> offline.resolve("google/electra-small-discriminator@v2"));
        assertTrue(e.getMessage().contains("not in the HF cache"), e.getMessage());
        assertEquals(0, hub.requestCount());
    }

    @Test
    void anIncompleteCachedSnapshotIsFilledAtItsCommitAndStillUsedWhenTheHubIsDown() throws IOException {
        Path snapshot = Files.createDirectories(snapshotDir());
        for (String f : List.of("config.json", "model.safetensors")) Files.copy(FakeHub.fixture(f), snapshot.resolve(f));
        Path refs = Files.createDirectories(cacheRoot.resolve("models--test-org--tiny-electra/refs"));
        Files.writeString(refs.resolve("main"), FakeHub.COMMIT);

        // Unreachable hub: the loadable snapshot is used as it is.
        Map<String, String> down = env("HF_ENDPOINT", "http://127.0.0.1:1");
        assertEquals(snapshot, new HubModelResolver(down, home, DownloadProgress.NONE).resolve("test-org/tiny-electra"));
        assertFalse(Files.exists(snapshot.resolve("vocab.txt")));

        // Reachable: only the missing files are fetched, at the cached commit, without asking the API.
        assertEquals(snapshot, resolver().resolve("test-org/tiny-electra"));
        assertArrayEquals(Files.readAllBytes(FakeHub.fixture("vocab.txt")), Files.readAllBytes(snapshot.resolve("vocab.txt")));
        assertTrue(hub.requests.stream().noneMatch(r -> r.path().startsWith("/api/")), hub.requests.toString());
        assertTrue(hub.requests.stream().noneMatch(r -> r.path().endsWith("/model.safetensors")), hub.requests.toString());
    }

    @Test
    void anUnknownRepositoryIsNotFound() {
        HubException e = assertThrows(HubException.class, () -> resolver().resolve("test-org/no-such-model"));
        assertTrue(e.getMessage().contains("repository not found: test-org/no-such-model"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 404 " + hub.endpoint() + "/test-org/no-such-model/resolve/main/config.json"), e.getMessage());

        e = assertThrows(HubException.class, () -> resolver().resolve("test-org/no-such-model@" + FakeHub.COMMIT));
        assertTrue(e.getMessage().startsWith("repository or revision not found: test-org/no-such-model@"), e.getMessage());

        // The real hub answers 401 with X-Error-Code: RepoNotFound (so private repos are not revealed).
        hub.hubStyleNotFound = true;
        hub.requests.clear();
        e = assertThrows(HubException.class, () -> resolver().resolve("no-such-model"));
        assertTrue(e.getMessage().contains("repository not found: no-such-model (HTTP 401 " + hub.endpoint() + "/api/models/no-such-model/revision/main)"),
                e.getMessage());
        assertEquals(1, hub.requestCount(), "a definite answer from the API ends it");
        assertFalse(Files.exists(cacheRoot.resolve("models--test-org--no-such-model")));
    }

    @Test
    void anUnknownRevisionIsNamed() {
        HubException e = assertThrows(HubException.class, () -> resolver().resolve("test-org/tiny-electra@v9"));
        assertTrue(e.getMessage().startsWith("revision v9 not found in test-org/tiny-electra (HTTP 404"), e.getMessage());
    }

    @Test
    void withoutTheApiTheCommitComesFromTheXRepoCommitHeader() throws IOException {
        hub.apiAvailable = false;
        assertEquals(snapshotDir(), resolver().resolve("test-org/tiny-electra"));
        assertEquals(FakeHub.COMMIT, Files.readString(cacheRoot.resolve("models--test-org--tiny-electra/refs/main")));
        assertTrue(hub.requests.get(1).path().endsWith("/resolve/main/config.json"));
    }

    @Test
    void theTokenGoesToTheHubButNotToTheCdnItRedirectsTo() throws IOException {
        hub.cdnHost = "127.0.0.1"; // the endpoint says "localhost": another host as far as the client knows
        Path folder = resolver("HF_TOKEN", "hf_secret").resolve("test-org/tiny-electra");
        assertArrayEquals(Files.readAllBytes(FakeHub.fixture("model.safetensors")), Files.readAllBytes(folder.resolve("model.safetensors")));
        List<FakeHub.Request> cdn = hub.requests.stream().filter(r -> r.path().startsWith("/cdn/")).toList();
        assertEquals(1, cdn.size());
        assertNull(cdn.get(0).authorization());
        for (FakeHub.Request r : hub.requests) {
            if (!r.path().startsWith("/cdn/")) assertEquals("Bearer hf_secret", r.authorization(), r.path());
        }
    }

    @Test
    void theTokenFileWrittenByHuggingfaceCliLoginIsUsed() throws IOException {
        Path hfHome = Files.createDirectories(tmp.resolve("hf-home"));
        Files.writeString(hfHome.resolve("token"), "hf_from_file\n");
        Map<String, String> env = env("HF_HOME", hfHome.toString());
        new HubModelResolver(env, home, DownloadProgress.NONE).resolve("test-org/tiny-electra");
        assertEquals("Bearer hf_from_file", hub.requests.get(0).authorization());
    }

    @Test
    void aCorruptDownloadIsRejectedAndLeavesNothingBehind() throws IOException {
        hub.wrongSha256 = "ab".repeat(32);
        HubException e = assertThrows(HubException.class, () -> resolver().resolve("test-org/tiny-electra"));
        assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
        assertFalse(Files.exists(snapshotDir().resolve("model.safetensors")));
        assertFalse(Files.exists(cacheRoot.resolve("models--test-org--tiny-electra/refs/main")), "no ref to a broken snapshot");
        try (Stream<Path> all = Files.list(snapshotDir())) {
            assertEquals(List.of(snapshotDir().resolve("config.json")), all.toList());
        }
    }

    @Test
    void pytorchModelBinIsTheFallbackForWeights() throws IOException {
        Map<String, byte[]> files = FakeHub.fixtureFiles();
        files.remove("model.safetensors");
        byte[] bin = "not really a pickle, the resolver does not care".getBytes(StandardCharsets.UTF_8);
        files.put("pytorch_model.bin", bin);
        hub.repos.put("old-model", files);
        Path folder = resolver().resolve("old-model");
        assertEquals(cacheRoot.resolve("models--old-model/snapshots").resolve(FakeHub.COMMIT), folder);
        assertArrayEquals(bin, Files.readAllBytes(folder.resolve("pytorch_model.bin")));

        Map<String, byte[]> noWeights = FakeHub.fixtureFiles();
        noWeights.remove("model.safetensors");
        hub.repos.put("test-org/no-weights", noWeights);
        HubException e = assertThrows(HubException.class, () -> resolver().resolve("test-org/no-weights"));
        assertTrue(e.getMessage().contains("has neither model.safetensors nor pytorch_model.bin"), e.getMessage());
    }

    @Test
    void anUnreachableEndpointIsSaidInOneLine() {
        HubException e = assertThrows(HubException.class,
                () -> resolver("HF_ENDPOINT", "http://127.0.0.1:1").resolve("test-org/tiny-electra"));
        assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:1 ("), e.getMessage());
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE=1"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aLocalFolderIsReturnedAsIs() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("my-model"));
        assertEquals(folder, resolver().resolve(folder.toString()));
        Files.createDirectories(home.resolve("models/m"));
        assertEquals(home.resolve("models/m"), resolver().resolve("~/models/m"));
        assertEquals(0, hub.requestCount());
    }

    @Test
    void neitherAFolderNorAHubIdIsRefused() throws IOException {
        HubException e = assertThrows(HubException.class, () -> resolver().resolve("runs/2024/best"));
        assertTrue(e.getMessage().contains("is not a hub model id"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("config.json"), "{}");
        e = assertThrows(HubException.class, () -> resolver().resolve(file.toString()));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
        assertEquals(0, hub.requestCount());
    }

    @Test
    void theCacheIsWhereHuggingfaceHubPutsIt() {
        Path h = Path.of("/home/u");
        assertEquals(Path.of("/c/hub"), HubCache.locate(Map.of("HF_HUB_CACHE", "/c/hub", "HF_HOME", "/hf"), h).root());
        assertEquals(Path.of("/old"), HubCache.locate(Map.of("HUGGINGFACE_HUB_CACHE", "/old", "HF_HOME", "/hf"), h).root());
        assertEquals(Path.of("/hf/hub"), HubCache.locate(Map.of("HF_HOME", "/hf", "XDG_CACHE_HOME", "/x"), h).root());
        assertEquals(Path.of("/home/u/hf/hub"), HubCache.locate(Map.of("HF_HOME", "~/hf"), h).root());
        assertEquals(Path.of("/x/huggingface/hub"), HubCache.locate(Map.of("XDG_CACHE_HOME", "/x"), h).root());
        assertEquals(Path.of("/home/u/.cache/huggingface/hub"), HubCache.locate(Map.of(), h).root());
    }
}
