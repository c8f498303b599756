package io.jenkins.plugins.mlops.image;

import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.TestProcesses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (the distribution registry) on a free loopback port, storing in
 * a temporary directory; with basic auth from an htpasswd file (bcrypt, made by apache2-utils'
 * {@code htpasswd}) when a user is given.
 */
public final class ImageRegistry implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    private final String authorization;

    private ImageRegistry(Process process, int port, Path log, String authorization) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.authorization = authorization;
    }

    public static ImageRegistry start(Path dir) {
        return start(dir, null, null);
    }

    public static ImageRegistry start(Path dir, String user, String password) {
        Path registry = TestEnvironment.command("docker-registry");
        int port = TestProcesses.freePort();
        try {
            Files.createDirectories(dir.resolve("storage"));
            StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ")
                    .append(dir.resolve("storage")).append("\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:").append(port)
                    .append("\n");
            if (user != null) {
                Path htpasswd = dir.resolve("htpasswd");
                Process hash = new ProcessBuilder(TestEnvironment.command("htpasswd").toString(), "-Bbn", user, password)
                        .redirectErrorStream(true).start();
                String line = new String(hash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!hash.waitFor(60, TimeUnit.SECONDS) || hash.exitValue() != 0) {
                    fail("htpasswd failed: " + line);
                }
                Files.writeString(htpasswd, line + "\n");
                config.append("auth:\n  htpasswd:\n    realm: mlops-test\n    path: ").append(htpasswd).append("\n");
            }
            Path configFile = dir.resolve("config.yml");
            Files.writeString(configFile, config);
            Path log = dir.resolve("registry.log");
            Process process = new ProcessBuilder(registry.toString(), "serve", configFile.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            String authorization = user == null ? null
                    : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            ImageRegistry started = new ImageRegistry(process, port, log, authorization);
            started.awaitReady();
            return started;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image name. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    /** GET on the registry's API with the admin's credentials: status and body. */
    public HttpResponse<String> get(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host() + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", RegistryClient.ACCEPT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repositories that hold at least one manifest: what a user could pull. */
    public String tags(String repository) {
        HttpResponse<String> response = get("/v2/" + repository + "/tags/list");
        return response.statusCode() == 404 ? "" : response.body();
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                fail("docker-registry exited: " + Files.readString(log));
            }
            try {
                int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        fail("docker-registry did not answer within 60 s: " + Files.readString(log));
    }

    @Override
    public void close() {
        TestProcesses.stopTree(process, "docker-registry");
    }
}
