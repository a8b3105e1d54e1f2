package io.elektron.cli.maven;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A local stand-in for Maven Central: serves the files put in {@link #files} by path, 404 for the rest; logs requests. */
final class FakeMavenRepository implements AutoCloseable {
    /** Path below the repository root (no leading slash) to content. */
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final HttpServer server;

    FakeMavenRepository() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The repository root, as ELEKTRON_MAVEN_REPOSITORY would name it. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/maven2";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            requests.add(path);
            byte[] body = path.startsWith("/maven2/") ? files.get(path.substring("/maven2/".length())) : null;
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
