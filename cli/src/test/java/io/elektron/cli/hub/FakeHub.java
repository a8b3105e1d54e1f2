package io.elektron.cli.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local stand-in for huggingface.co: the hub API's revision endpoint and /{repo}/resolve/{revision}/{file}, with the
 * headers the real hub sends (X-Repo-Commit, ETag / X-Linked-Etag, X-Error-Code). Every request is logged.
 */
final class FakeHub implements AutoCloseable {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String REPO = "test-org/tiny-electra";
    static final List<String> FIXTURE_FILES =
            List.of("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json");

    /** One request as the server saw it. */
    record Request(String path, String host, String authorization) {
    }

    final Map<String, Map<String, byte[]>> repos = new LinkedHashMap<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    /** When false, the API answers a bare 404 (as a mirror without it might). */
    volatile boolean apiAvailable = true;
    /** When true, an unknown repository gets the real hub's 401 + X-Error-Code: RepoNotFound; else a bare 404. */
    volatile boolean hubStyleNotFound = false;
    /** When set, weight files redirect to this host (same port), as the hub redirects LFS files to its CDN. */
    volatile String cdnHost;
    /** When set, sent as the sha256 of weight files instead of the true one. */
    volatile String wrongSha256;

    private final HttpServer server;

    FakeHub() throws IOException {
        // The wildcard address, so both "localhost" and "127.0.0.1" reach it (two hosts for the redirect test).
        server = HttpServer.create(new InetSocketAddress(0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeHub withFixtureRepo() throws IOException {
        FakeHub hub = new FakeHub();
        hub.repos.put(REPO, fixtureFiles());
        return hub;
    }

    static Map<String, byte[]> fixtureFiles() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String f : FIXTURE_FILES) files.put(f, Files.readAllBytes(fixture(f)));
        return files;
    }

    static Path fixture(String file) {
        try {
            return Path.of(FakeHub.class.getResource("/hub-repo/" + file).toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource hub-repo/" + file + " missing", e);
        }
    }

    String endpoint() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    int requestCount() {
        return requests.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            requests.add(new Request(path, ex.getRequestHeaders().getFirst("Host"), ex.getRequestHeaders().getFirst("Authorization")));
            if (path.startsWith("/api/models/")) {
                api(ex, path.substring("/api/models/".length()));
            } else if (path.startsWith("/cdn/")) {
                cdn(ex, path.substring("/cdn/".length()));
            } else if (path.contains("/resolve/")) {
                resolve(ex, path);
            } else {
                send(ex, 404, null, new byte[0]);
            }
        }
    }

    private void api(HttpExchange ex, String rest) throws IOException {
        int i = rest.indexOf("/revision/");
        if (!apiAvailable || i < 0) {
            send(ex, 404, null, new byte[0]);
            return;
        }
        String repo = rest.substring(0, i);
        String revision = URLDecoder.decode(rest.substring(i + "/revision/".length()), StandardCharsets.UTF_8);
        if (!repos.containsKey(repo)) {
            notFound(ex);
            return;
        }
        if (!knownRevision(revision)) {
            send(ex, 404, "RevisionNotFound", new byte[0]);
            return;
        }
        String json = "{\"_id\":\"x\",\"id\":\"" + repo + "\",\"sha\":\"" + COMMIT + "\",\"siblings\":[]}";
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, 200, null, json.getBytes(StandardCharsets.UTF_8));
    }

    private void resolve(HttpExchange ex, String path) throws IOException {
        int i = path.indexOf("/resolve/");
        String repo = path.substring(1, i);
        String rest = path.substring(i + "/resolve/".length());
        int slash = rest.indexOf('/');
        String revision = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
        String file = rest.substring(slash + 1);
        Map<String, byte[]> files = repos.get(repo);
        if (files == null) {
            notFound(ex);
            return;
        }
        if (!knownRevision(revision)) {
            send(ex, 404, "RevisionNotFound", new byte[0]);
            return;
        }
        byte[] body = files.get(file);
        if (body == null) {
            send(ex, 404, "EntryNotFound", new byte[0]);
            return;
        }
        ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
        boolean lfs = file.endsWith(".safetensors") || file.endsWith(".bin");
        if (lfs) {
            String sha = wrongSha256 != null ? wrongSha256 : sha256(body);
            ex.getResponseHeaders().set(cdnHost != null ? "X-Linked-Etag" : "ETag", "\"" + sha + "\"");
            if (cdnHost != null) {
                ex.getResponseHeaders().set("X-Linked-Size", Long.toString(body.length));
                ex.getResponseHeaders().set("Location", "http://" + cdnHost + ":" + server.getAddress().getPort() + "/cdn/" + repo + "/" + file);
                send(ex, 302, null, new byte[0]);
                return;
            }
        }
        send(ex, 200, null, body);
    }

    private void cdn(HttpExchange ex, String rest) throws IOException {
        int slash = rest.lastIndexOf('/');
        Map<String, byte[]> files = repos.get(rest.substring(0, slash));
        byte[] body = files == null ? null : files.get(rest.substring(slash + 1));
        if (body == null) send(ex, 404, null, new byte[0]);
        else send(ex, 200, null, body);
    }

    private boolean knownRevision(String revision) {
        return revision.equals("main") || revision.equals(COMMIT);
    }

    private void notFound(HttpExchange ex) throws IOException {
        if (hubStyleNotFound) send(ex, 401, "RepoNotFound", new byte[0]);
        else send(ex, 404, null, new byte[0]);
    }

    private static void send(HttpExchange ex, int status, String errorCode, byte[] body) throws IOException {
        if (errorCode != null) ex.getResponseHeaders().set("X-Error-Code", errorCode);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
