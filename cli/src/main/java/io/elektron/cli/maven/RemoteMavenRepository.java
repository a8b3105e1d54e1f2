package io.elektron.cli.maven;

import io.elektron.cli.hub.DownloadProgress;
import io.elektron.cli.hub.HubCache;
import io.elektron.cli.hub.EnvProxySelector;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
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

/**
 * A Maven repository over HTTP: Maven Central, or the mirror named by {@code $ELEKTRON_MAVEN_REPOSITORY}. Downloads a
 * jar and checks it against the {@code .sha1} file the repository publishes beside it (Central has one for every file).
 */
final class RemoteMavenRepository {
    static final String MAVEN_CENTRAL = "https://repo1.maven.org/maven2";
    static final String URL_VARIABLE = "ELEKTRON_MAVEN_REPOSITORY";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** Until the response headers arrive; a large body may then take as long as it takes. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final String USER_AGENT = "elektron/0.1 (java " + Runtime.version().feature() + ")";
    /** A .sha1 file is 40 hex digits, sometimes followed by the file name; anything much longer is not one. */
    private static final int MAX_SHA1_FILE_BYTES = 1024;

    private final String baseUrl;
    private final Map<String, String> env;
    private final DownloadProgress progress;
    private HttpClient client;

    RemoteMavenRepository(Map<String, String> env, DownloadProgress progress) {
        this.env = Map.copyOf(env);
        String url = this.env.getOrDefault(URL_VARIABLE, "").trim();
        this.baseUrl = (url.isEmpty() ? MAVEN_CENTRAL : url).replaceAll("/+$", "");
        this.progress = progress == null ? DownloadProgress.NONE : progress;
    }

    /** "Maven Central", or the mirror's URL: how error messages name this repository. */
    String displayName() {
        return baseUrl.equals(MAVEN_CENTRAL) ? "Maven Central (" + MAVEN_CENTRAL + ")" : baseUrl + " (" + URL_VARIABLE + ")";
    }

    /**
     * Downloads the jar of {@code c} to {@code target}: into a temporary file beside it, checked against the published
     * sha1, then renamed, so {@code target} either does not exist or holds the verified jar.
     */
    Path downloadJar(MavenCoordinate c, Path target) throws IOException {
        if (!baseUrl.startsWith("https://") && !baseUrl.startsWith("http://")) {
            throw new MavenModelException(URL_VARIABLE + " is not an http(s) URL: " + baseUrl);
        }
        URI jarUri = URI.create(baseUrl + "/" + c.jarPath());
        String expectedSha1 = publishedSha1(c, URI.create(jarUri + ".sha1"));
        Path tmp = MavenModelCache.newTempFile(target.getParent(), target.getFileName().toString());
        try {
            HttpResponse<InputStream> r = send(jarUri);
            try (InputStream body = r.body()) {
                if (r.statusCode() / 100 != 2) throw statusError(c, r);
                save(body, r.headers().firstValueAsLong("Content-Length").orElse(-1), jarUri, c.jarFileName(), tmp, expectedSha1);
            }
            HubCache.moveAtomically(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The hash from {@code <jar>.sha1}: its first word, 40 hex digits. */
    private String publishedSha1(MavenCoordinate c, URI uri) throws IOException {
        HttpResponse<InputStream> r = send(uri);
        if (r.statusCode() / 100 != 2) {
            r.body().close();
            throw statusError(c, r);
        }
        byte[] bytes;
        try (InputStream body = r.body()) {
            bytes = body.readNBytes(MAX_SHA1_FILE_BYTES);
        } catch (IOException e) {
            throw new MavenModelException("reading " + uri + " failed: " + describe(e), e);
        }
        String[] words = new String(bytes, StandardCharsets.US_ASCII).trim().split("\\s+");
        String sha1 = words[0].toLowerCase(Locale.ROOT);
        if (!sha1.matches("[0-9a-f]{40}")) throw new MavenModelException(uri + " does not hold a sha1 hash");
        return sha1;
    }

    private void save(InputStream body, long total, URI uri, String file, Path tmp, String expectedSha1) throws IOException {
        MessageDigest sha1 = sha1();
        long n = 0;
        progress.start(file, total);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[1 << 16];
            for (int k; (k = body.read(buf)) >= 0; ) {
                out.write(buf, 0, k);
                sha1.update(buf, 0, k);
                n += k;
                progress.advance(k);
            }
        } catch (IOException e) {
            throw new MavenModelException("download of " + uri + " broke off after " + n + " bytes: " + describe(e), e);
        } finally {
            progress.done();
        }
        if (total >= 0 && n != total) {
            throw new MavenModelException("download of " + uri + " is truncated: " + n + " of " + total + " bytes");
        }
        String got = HexFormat.of().formatHex(sha1.digest());
        if (!got.equals(expectedSha1)) {
            throw new MavenModelException("download of " + uri + " is corrupt: sha1 " + got + ", the repository says "
                    + expectedSha1 + "; nothing was cached, try again");
        }
    }

    private MavenModelException statusError(MavenCoordinate c, HttpResponse<?> r) {
        if (r.statusCode() == 404) {
            return new MavenModelException(c + " is not in " + displayName() + " (HTTP 404 " + r.uri() + "); check the coordinate");
        }
        return new MavenModelException("HTTP " + r.statusCode() + " " + r.uri());
    }

    private HttpResponse<InputStream> send(URI uri) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).header("User-Agent", USER_AGENT).GET().build();
        try {
            return client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new MavenRepositoryUnreachableException(displayName(), "connection timed out", e);
        } catch (HttpTimeoutException e) {
            throw new MavenModelException("no answer from " + uri + " within " + RESPONSE_TIMEOUT.toSeconds() + " s", e);
        } catch (ConnectException e) {
            // HttpClient's ConnectException often carries no message at all; refused is what it means then.
            String reason = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : "connection refused";
            throw new MavenRepositoryUnreachableException(displayName(), reason, e);
        } catch (IOException e) {
            if (hasCause(e, UnknownHostException.class) || hasCause(e, UnresolvedAddressException.class)) {
                throw new MavenRepositoryUnreachableException(displayName(), "unknown host " + uri.getHost(), e);
            }
            throw new MavenModelException("request to " + uri + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while fetching " + uri);
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            // Redirects followed: no credentials are sent, so a mirror's redirect to another host is harmless.
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).proxy(EnvProxySelector.of(env)).build();
        }
        return client;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) if (type.isInstance(c)) return true;
        return false;
    }

    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) return c.getMessage();
        }
        return e.getClass().getSimpleName();
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
