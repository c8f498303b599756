package io.jenkins.plugins.mlops.deploy.prometheus;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small test exporter in Prometheus' text format: counters the test increments, the way Istio's
 * sidecars or Knative's queue-proxy would count one variant's requests.
 */
public final class CounterExporter implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Double> counters = new TreeMap<>();

    public CounterExporter() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = render().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Adds to the counter {@code series}, e.g. {@code istio_requests_total{destination_version="stable"}}. */
    public synchronized void add(String series, double amount) {
        counters.merge(series, amount, Double::sum);
    }

    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized String render() {
        StringBuilder text = new StringBuilder();
        counters.forEach((series, value) -> text.append(series).append(' ').append(value).append('\n'));
        return text.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
