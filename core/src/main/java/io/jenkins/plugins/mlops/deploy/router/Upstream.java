package io.jenkins.plugins.mlops.deploy.router;

import java.net.URI;

/** Where one variant's requests go: host, port, TLS, and a path prefix put before the client's path. */
record Upstream(String name, URI url, String host, int port, boolean ssl, String basePath) {

    static Upstream of(String name, URI url) {
        boolean ssl = "https".equals(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : ssl ? 443 : 80;
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return new Upstream(name, url, url.getHost(), port, ssl, path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /** The Host header's value: the port only where it is not the scheme's default. */
    String authority() {
        String name = host.contains(":") ? "[" + host + "]" : host;
        return port == (ssl ? 443 : 80) ? name : name + ":" + port;
    }

    String uri(String requestUri) {
        return basePath + requestUri;
    }
}
