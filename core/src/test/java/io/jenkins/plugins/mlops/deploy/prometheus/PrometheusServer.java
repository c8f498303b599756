package io.jenkins.plugins.mlops.deploy.prometheus;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.TestProcesses;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Prometheus (Debian's package) on a free loopback port, scraping the given targets every
 * second, with its storage in a temp folder that is deleted on close. Missing binary fails the test.
 */
public final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final URI url;

    private PrometheusServer(Process process, Path dir, URI url) {
        this.process = process;
        this.dir = dir;
        this.url = url;
    }

    /** @param targets {@code host:port} endpoints serving {@code /metrics} */
    public static PrometheusServer start(List<String> targets) throws IOException, InterruptedException {
        Path binary = TestEnvironment.command("prometheus");
        Path dir = Files.createTempDirectory("mlops-prometheus");
        String config = "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
                + "  - job_name: mlops\n    static_configs:\n      - targets: [" + String.join(", ",
                        targets.stream().map(t -> "'" + t + "'").toList()) + "]\n";
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = TestProcesses.freePort();
        Process process = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, dir, URI.create("http://127.0.0.1:" + port));
        try {
            TestProcesses.awaitReady(process, dir.resolve("prometheus.log"), server::ready, "prometheus", Duration.ofSeconds(30));
        } catch (AssertionError e) {
            server.close();
            throw e;
        }
        return server;
    }

    public URI url() {
        return url;
    }

    private boolean ready() {
        try {
            HttpURLConnection c = (HttpURLConnection) url.resolve("/-/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(500);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        TestProcesses.stopTree(process, "prometheus");
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is not worth failing a test over
        }
    }
}
