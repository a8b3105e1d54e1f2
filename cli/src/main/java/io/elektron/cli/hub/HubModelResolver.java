package io.elektron.cli.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@code --model} argument into a folder holding config.json and the weights, the way transformers'
 * from_pretrained does:
 * <ol>
 * <li>an existing folder is used as is;</li>
 * <li>a hub id ({@code org/name[@revision]}) is looked up in the HF cache ({@link HubCache}), so models fetched by
 *     Python's huggingface_hub are found, and a complete cached snapshot is used without any network request;</li>
 * <li>with {@code HF_HUB_OFFLINE=1} (or {@code TRANSFORMERS_OFFLINE=1}) nothing more is tried;</li>
 * <li>otherwise the files are downloaded from {@code $HF_ENDPOINT} into the cache: the commit hash first (hub API,
 *     else the {@code X-Repo-Commit} header of config.json), then config.json, model.safetensors or else
 *     pytorch_model.bin, and the tokenizer files that exist, all pinned to that commit.</li>
 * </ol>
 * The environment and home folder are passed in, so tests can point the cache and endpoint anywhere.
 */
public final class HubModelResolver {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** Until the response headers arrive; a large body may then take as long as it takes. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "elektron/0.1 (java " + Runtime.version().feature() + ")";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final DownloadProgress progress;
    private final HubCache cache;
    private final String endpoint;
    private final String offlineVariable;
    private final String token;
    private final Map<String, String> env;
    private HttpClient client;

    /**
     * @param env      the environment variables to honour (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME, HF_ENDPOINT,
     *                 HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE, HF_TOKEN, HF_TOKEN_PATH, HTTPS_PROXY, NO_PROXY, ...)
     * @param home     the user's home folder, for {@code ~/.cache/huggingface} and {@code ~} in paths
     * @param progress told about every downloaded file
     */
    public HubModelResolver(Map<String, String> env, Path home, DownloadProgress progress) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.progress = progress == null ? DownloadProgress.NONE : progress;
        this.cache = HubCache.locate(this.env, home);
        String ep = this.env.getOrDefault("HF_ENDPOINT", "").trim();
        this.endpoint = (ep.isEmpty() ? DEFAULT_ENDPOINT : ep).replaceAll("/+$", "");
        this.offlineVariable = isTrue(this.env.get("HF_HUB_OFFLINE")) ? "HF_HUB_OFFLINE"
                : isTrue(this.env.get("TRANSFORMERS_OFFLINE")) ? "TRANSFORMERS_OFFLINE" : null;
        this.token = token(this.env, home);
    }

    /** The process environment and {@code user.home}. */
    public static HubModelResolver fromEnvironment(DownloadProgress progress) {
        return new HubModelResolver(System.getenv(), Path.of(System.getProperty("user.home")), progress);
    }

    public HubCache cache() {
        return cache;
    }

    public boolean offline() {
        return offlineVariable != null;
    }

    /**
     * The folder for {@code model}: the folder itself, a cached snapshot, or a snapshot downloaded now.
     *
     * @throws HubException with a one-line message when the model cannot be had
     */
    public Path resolve(String model) throws IOException {
        Path local = localPath(model);
        if (Files.isDirectory(local)) return local;
        if (Files.exists(local)) throw new HubException(model + " is a file; --model wants a folder (holding config.json) or a hub id");
        HubModelId id = HubModelId.parse(model).orElseThrow(() ->
                new HubException("no folder " + local.toAbsolutePath() + ", and " + model + " is not a hub model id (org/name[@revision])"));
        return resolve(id);
    }

    /** The folder for a hub model: cached, or downloaded into the cache. */
    public Path resolve(HubModelId id) throws IOException {
        Optional<String> cachedCommit = cache.commit(id);
        if (offline()) {
            Optional<Path> usable = cache.usableSnapshot(id);
            if (usable.isPresent()) return usable.get();
            String what = cachedCommit.isPresent()
                    ? "is in the HF cache at " + cache.snapshot(id, cachedCommit.get()) + " without config.json or its weights"
                    : "is not in the HF cache (" + cache.root() + ")";
            throw new HubException("model " + id + " " + what + " and offline mode is on (" + offlineVariable
                    + "=" + env.get(offlineVariable) + "); fetch it once with network access, or pass a local folder");
        }
        if (cachedCommit.isPresent() && Files.isDirectory(cache.snapshot(id, cachedCommit.get()))) {
            String commit = cachedCommit.get();
            Path snapshot = cache.snapshot(id, commit);
            if (cache.isComplete(id, commit)) return snapshot;
            if (HubCache.isUsable(snapshot)) {
                // Loadable already (e.g. Python fetched the weights but not the tokenizer): try to fill the gaps, but
                // a hub that cannot be reached must not stop us from using what is here.
                try {
                    return download(id, commit);
                } catch (HubException e) {
                    return snapshot;
                }
            }
            return download(id, commit);
        }
        return download(id, null);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Download

    /** {@code knownCommit}: the commit of a snapshot already in the cache (so the repository exists), or null. */
    private Path download(HubModelId id, String knownCommit) throws IOException {
        String commit = knownCommit != null ? knownCommit : commitFromApi(id);
        // Only the cache or the API prove the repository exists; a commit typed on the command line does not.
        boolean repoKnown = commit != null;
        if (commit == null && id.revisionIsCommit()) commit = id.revision();
        Path snapshot = commit == null ? null : cache.snapshot(id, commit);

        if (snapshot == null || !Files.isRegularFile(snapshot.resolve(HubCache.CONFIG))) {
            URI uri = fileUri(id, commit != null ? commit : id.revision(), HubCache.CONFIG);
            try (Response r = get(uri)) {
                if (!r.ok()) throw fileError(id, HubCache.CONFIG, r, repoKnown);
                if (commit == null) {
                    commit = r.repoCommit();
                    if (commit == null) {
                        throw new HubException("cannot tell which commit " + id + " is at: the hub API gave no sha and "
                                + uri + " sent no X-Repo-Commit header");
                    }
                    snapshot = cache.snapshot(id, commit);
                }
                save(r, snapshot, HubCache.CONFIG);
            }
        }

        boolean hasWeights = false;
        for (String w : HubCache.WEIGHTS) if (Files.isRegularFile(snapshot.resolve(w))) hasWeights = true;
        for (int i = 0; !hasWeights && i < HubCache.WEIGHTS.size(); i++) {
            hasWeights = fetchIfExists(id, commit, snapshot, HubCache.WEIGHTS.get(i));
        }
        if (!hasWeights) {
            throw new HubException("model " + id + " has neither model.safetensors nor pytorch_model.bin ("
                    + fileUri(id, commit, HubCache.WEIGHTS.get(0)) + " and the .bin gave HTTP 404)");
        }
        for (String f : HubCache.OPTIONAL) {
            if (Files.isRegularFile(snapshot.resolve(f)) || cache.isKnownMissing(id, commit, f)) continue;
            if (!fetchIfExists(id, commit, snapshot, f)) cache.markMissing(id, commit, f);
        }
        cache.writeRef(id, commit);
        return snapshot;
    }

    /** Downloads {@code file} at {@code commit} into {@code snapshot}; false when the repository has no such file. */
    private boolean fetchIfExists(HubModelId id, String commit, Path snapshot, String file) throws IOException {
        try (Response r = get(fileUri(id, commit, file))) {
            if (r.status() == 404 && !isRepoLevelError(r)) return false;
            if (!r.ok()) throw fileError(id, file, r, true);
            save(r, snapshot, file);
            return true;
        }
    }

    /**
     * The commit the revision points at, from {@code GET /api/models/{id}/revision/{revision}}; null when the API
     * does not say (a mirror without it, an odd answer), so the caller falls back on the X-Repo-Commit header.
     */
    private String commitFromApi(HubModelId id) throws IOException {
        URI uri = URI.create(endpoint() + "/api/models/" + id.repoId() + "/revision/" + encode(id.revision()));
        try (Response r = get(uri)) {
            if (!r.ok()) {
                if (isRepoLevelError(r)) throw repoError(id, r);
                return null;
            }
            JsonNode sha = JSON.readTree(r.body()).get("sha");
            return sha != null && HubModelId.isCommit(sha.asText()) ? sha.asText() : null;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return null;
        }
    }

    private URI fileUri(HubModelId id, String revision, String file) throws HubException {
        return URI.create(endpoint() + "/" + id.repoId() + "/resolve/" + encode(revision) + "/" + file);
    }

    /** Streams the body to a temporary file next to the target, checks its length and hash, then renames it. */
    private void save(Response r, Path dir, String file) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new HubException("cannot write the HF cache at " + dir + ": " + e, e);
        }
        Path target = dir.resolve(file);
        Path tmp = HubCache.newTempFile(dir, file);
        long total = r.length();
        MessageDigest sha256 = r.expectedSha256() == null ? null : sha256();
        long n = 0;
        progress.start(file, total);
        try {
            try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                for (int k; (k = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, k);
                    if (sha256 != null) sha256.update(buf, 0, k);
                    n += k;
                    progress.advance(k);
                }
            } catch (IOException e) {
                throw new HubException("download of " + r.uri() + " broke off after " + n + " bytes: " + describe(e), e);
            }
            if (total >= 0 && n != total) {
                throw new HubException("download of " + r.uri() + " is truncated: " + n + " of " + total + " bytes");
            }
            if (sha256 != null) {
                String got = HexFormat.of().formatHex(sha256.digest());
                if (!got.equals(r.expectedSha256())) {
                    throw new HubException("download of " + r.uri() + " is corrupt: sha256 " + got + ", the hub says " + r.expectedSha256());
                }
            }
            HubCache.moveAtomically(tmp, target);
        } finally {
            progress.done();
            Files.deleteIfExists(tmp);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // HTTP

    /** A response whose body is still to be read; closing it releases the connection. */
    private record Response(URI uri, int status, HttpHeaders headers, String repoCommit, String expectedSha256,
                            long length, InputStream body) implements AutoCloseable {
        boolean ok() {
            return status / 100 == 2;
        }

        String errorCode() {
            return headers.firstValue("X-Error-Code").orElse("");
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /**
     * GET with redirects followed by hand: the hub's first answer carries X-Repo-Commit and the file's hash, and the
     * token must not follow a redirect to another host (LFS files live on a CDN behind a signed URL).
     */
    private Response get(URI uri) throws IOException {
        URI current = uri;
        String repoCommit = null;
        String sha256 = null;
        long linkedSize = -1;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current).timeout(RESPONSE_TIMEOUT).header("User-Agent", USER_AGENT).GET();
            if (token != null && sameOrigin(current, URI.create(endpoint))) b.header("Authorization", "Bearer " + token);
            HttpResponse<InputStream> r = send(b.build());
            HttpHeaders h = r.headers();
            if (repoCommit == null) repoCommit = h.firstValue("X-Repo-Commit").filter(HubModelId::isCommit).orElse(null);
            if (hop == 0) {
                // For LFS files the hub's ETag (X-Linked-Etag on its redirect) is the sha256 of the content.
                String etag = h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse("")
                        .replaceFirst("^W/", "").replace("\"", "").toLowerCase(Locale.ROOT);
                if (etag.matches("[0-9a-f]{64}")) sha256 = etag;
                linkedSize = h.firstValueAsLong("X-Linked-Size").orElse(-1);
            }
            int status = r.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                r.body().close();
                String location = h.firstValue("Location").orElseThrow(() ->
                        new HubException("HTTP " + status + " without a Location header from " + r.uri()));
                current = current.resolve(location);
                continue;
            }
            long length = h.firstValueAsLong("Content-Length").orElse(linkedSize);
            return new Response(current, status, h, repoCommit, status / 100 == 2 ? sha256 : null, length, r.body());
        }
        throw new HubException("more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(request.uri(), "connection timed out", e);
        } catch (HttpTimeoutException e) {
            throw new HubException("no answer from " + request.uri() + " within " + RESPONSE_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw unreachable(request.uri(), describe(e), e);
        } catch (IOException e) {
            if (hasCause(e, UnknownHostException.class) || hasCause(e, UnresolvedAddressException.class)) {
                throw unreachable(request.uri(), "unknown host", e);
            }
            throw new HubException("request to " + request.uri() + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + request.uri());
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            // HTTP/1.1: one file at a time gains nothing from HTTP/2, and plain-http mirrors need no h2c upgrade.
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).proxy(EnvProxySelector.of(env)).build();
        }
        return client;
    }

    private String endpoint() throws HubException {
        if (!endpoint.startsWith("https://") && !endpoint.startsWith("http://")) {
            throw new HubException("HF_ENDPOINT is not an http(s) URL: " + endpoint);
        }
        return endpoint;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Errors: one line each, with the status and URL

    /** The hub names what is missing in X-Error-Code; these mean no file of the repository can be had. */
    private static boolean isRepoLevelError(Response r) {
        return switch (r.errorCode()) {
            case "RepoNotFound", "RevisionNotFound", "GatedRepo", "DisabledRepo" -> true;
            default -> false;
        };
    }

    private HubException repoError(HubModelId id, Response r) {
        String where = " (HTTP " + r.status() + " " + r.uri() + ")";
        return switch (r.errorCode()) {
            case "RevisionNotFound" -> new HubException("revision " + id.revision() + " not found in " + id.repoId() + where);
            case "GatedRepo" -> new HubException(id.repoId() + " is gated: accept its conditions on the hub and set HF_TOKEN" + where);
            case "DisabledRepo" -> new HubException(id.repoId() + " has been disabled on the hub" + where);
            default -> new HubException("repository not found: " + id.repoId() + where
                    + "; check the name (there is no local folder of that name either), or set HF_TOKEN if it is private");
        };
    }

    /** A required file failed. Before the repository is known to exist, a bare 404 or 401 means it does not. */
    private HubException fileError(HubModelId id, String file, Response r, boolean repoKnown) {
        if (isRepoLevelError(r)) return repoError(id, r);
        String where = " (HTTP " + r.status() + " " + r.uri() + ")";
        if (!repoKnown && (r.status() == 404 || r.status() == 401)) {
            if (!id.revision().equals(HubModelId.DEFAULT_REVISION)) {
                return new HubException("repository or revision not found: " + id + where);
            }
            return repoError(id, r);
        }
        if (r.status() == 404) return new HubException("model " + id + " has no " + file + where);
        if (r.status() == 401 || r.status() == 403) {
            return new HubException("access to " + id.repoId() + " refused" + where + (token == null
                    ? "; set HF_TOKEN if it is private or gated" : "; check that HF_TOKEN may read it"));
        }
        String message = r.headers().firstValue("X-Error-Message").map(m -> ": " + m).orElse("");
        return new HubException("HTTP " + r.status() + " " + r.uri() + message);
    }

    private HubException unreachable(URI uri, String reason, Exception cause) {
        String host = uri.getScheme() + "://" + uri.getAuthority();
        return new HubException("cannot reach " + host + " (" + reason + "); check the network, proxy or HF_ENDPOINT,"
                + " or set HF_HUB_OFFLINE=1 to use only models already in the cache", cause);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Small helpers

    private Path localPath(String model) {
        if (model.equals("~")) return home;
        if (model.startsWith("~/")) return home.resolve(model.substring(2));
        try {
            return Path.of(model);
        } catch (java.nio.file.InvalidPathException e) {
            return home.resolve(".no-such-folder");
        }
    }

    /** {@code HF_TOKEN}, the older {@code HUGGING_FACE_HUB_TOKEN}, else the file `huggingface-cli login` writes. */
    private static String token(Map<String, String> env, Path home) {
        for (String name : new String[]{"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) return v.trim();
        }
        String path = env.get("HF_TOKEN_PATH");
        Path file = path != null && !path.isBlank() ? Path.of(path.trim()) : HubCache.hfHome(env, home).resolve("token");
        try {
            String t = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
            return t.isEmpty() ? null : t;
        } catch (IOException e) {
            return null;
        }
    }

    /** huggingface_hub's reading of a boolean variable. */
    private static boolean isTrue(String value) {
        if (value == null) return false;
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "1", "ON", "YES", "TRUE" -> true;
            default -> false;
        };
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String encode(String revision) {
        return URLEncoder.encode(revision, StandardCharsets.UTF_8);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) if (type.isInstance(c)) return true;
        return false;
    }

    private static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) return c.getMessage();
        }
        return e.getClass().getSimpleName();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
