package io.elektron.cli.hub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy settings Python's requests (and so huggingface_hub) follow: {@code HTTPS_PROXY} / {@code HTTP_PROXY} and
 * {@code NO_PROXY}, upper or lower case. Java's HttpClient ignores these variables by itself, which would make a CLI
 * that works next to Python fail behind the same proxy. Proxy credentials are not supported. Also used for Maven
 * Central downloads, so one proxy setting covers every download.
 */
public final class EnvProxySelector extends ProxySelector {
    private final URI https;
    private final URI http;
    private final List<String> noProxy;
    private final ProxySelector fallback;

    private EnvProxySelector(URI https, URI http, List<String> noProxy, ProxySelector fallback) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
        this.fallback = fallback;
    }

    /** The selector for this environment; the JVM's default (system properties) when no proxy variable is set. */
    public static ProxySelector of(Map<String, String> env) {
        URI https = proxyUri(variable(env, "HTTPS_PROXY"));
        URI http = proxyUri(variable(env, "HTTP_PROXY"));
        ProxySelector fallback = ProxySelector.getDefault();
        if (https == null && http == null) return fallback != null ? fallback : ProxySelector.of(null);
        String no = variable(env, "NO_PROXY");
        List<String> noProxy = no == null ? List.of()
                : List.of(no.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).stream().filter(s -> !s.isEmpty()).toList();
        return new EnvProxySelector(https, http, noProxy, fallback);
    }

    @Override
    public List<Proxy> select(URI uri) {
        URI proxy = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        if (proxy == null || bypassed(uri.getHost())) return List.of(Proxy.NO_PROXY);
        int port = proxy.getPort() >= 0 ? proxy.getPort() : "https".equalsIgnoreCase(proxy.getScheme()) ? 443 : 80;
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port)));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        if (fallback != null) fallback.connectFailed(uri, sa, ioe);
    }

    private boolean bypassed(String host) {
        if (host == null) return false;
        String h = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            if (entry.equals("*")) return true;
            String suffix = entry.startsWith(".") ? entry.substring(1) : entry;
            if (h.equals(suffix) || h.endsWith("." + suffix)) return true;
        }
        return false;
    }

    private static String variable(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) v = env.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static URI proxyUri(String value) {
        if (value == null) return null;
        try {
            URI uri = URI.create(value.contains("://") ? value : "http://" + value);
            return uri.getHost() == null ? null : uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
