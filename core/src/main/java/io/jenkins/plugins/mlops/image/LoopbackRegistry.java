package io.jenkins.plugins.mlops.image;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (the distribution registry) on a loopback port, storing under a
 * directory of its own; with basic auth from an htpasswd file (bcrypt, made by apache2-utils'
 * {@code htpasswd}) when a user is given. The demo's registry and the packaging tests' one.
 */
public final class LoopbackRegistry implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;

    private LoopbackRegistry(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Whether Debian's docker-registry is installed. */
    public static boolean installed() {
        return HostPrograms.onPath("docker-registry").isPresent();
    }

    /**
     * Starts the registry on {@code port} ({@code 0}: a free one), its storage, config and log in
     * {@code dir}; returns once {@code /v2/} answers.
     */
    public static LoopbackRegistry start(Path dir, int port, String user, String password) {
        Path program = HostPrograms.require("docker-registry", "docker-registry");
        int listen = port == 0 ? freePort() : port;
        try {
            Files.createDirectories(dir.resolve("storage"));
            StringBuilder config = new StringBuilder("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ")
                    .append(dir.resolve("storage")).append("\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:").append(listen)
                    .append("\n");
            if (user != null) {
                Path htpasswd = dir.resolve("htpasswd");
                String line = HostCommand.run(List.of(HostPrograms.require("htpasswd", "apache2-utils").toString(), "-Bbn", user,
                        password), Duration.ofSeconds(60));
                Files.writeString(htpasswd, line + "\n");
                config.append("auth:\n  htpasswd:\n    realm: mlops\n    path: ").append(htpasswd).append("\n");
            }
            Path configFile = dir.resolve("config.yml");
            Files.writeString(configFile, config);
            Path log = dir.resolve("registry.log");
            Process process = new ProcessBuilder(program.toString(), "serve", configFile.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            LoopbackRegistry started = new LoopbackRegistry(process, listen, log);
            try {
                started.awaitReady();
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            return started;
        } catch (IOException e) {
            throw new InfrastructureException("cannot start docker-registry in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code 127.0.0.1:PORT}, the registry part of an image name. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Whether {@code repository:tag} is there (a HEAD on its manifest, without credentials). */
    public boolean has(String repository, String tag) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/" + repository
                    + "/manifests/" + tag)).header("Accept", RegistryClient.ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitReady() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new InfrastructureException("docker-registry exited (" + process.exitValue() + "): " + Files.readString(log)
                        .strip());
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfrastructureException("interrupted while docker-registry started", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfrastructureException("interrupted while docker-registry started", e);
            }
        }
        throw new InfrastructureException("docker-registry did not answer within " + STARTUP.toSeconds() + " s: "
                + Files.readString(log).strip());
    }

    /** A port free on loopback now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new InfrastructureException("no free loopback port: " + e.getMessage(), e);
        }
    }

    /** Stops the registry and waits for it: the storage is whole for the next start. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
