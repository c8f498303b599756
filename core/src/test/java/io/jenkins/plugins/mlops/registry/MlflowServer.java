package io.jenkins.plugins.mlops.registry;

import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real {@code mlflow server} for tests: SQLite backend, artifact proxy on, a free loopback
 * port, from the Python in the system property {@code mlops.python} (the test venv). Without
 * MLflow the test is skipped, except under CI ({@code CI=true}), where that is a failure.
 * Also used by the command line's tests (core's test jar).
 */
public final class MlflowServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(180);

    private final Path python;
    private final Path dir;
    private final int port;
    private final Map<String, String> environment;
    private final List<String> extraArguments;
    private Process process;

    private MlflowServer(Path python, Path dir, int port, Map<String, String> environment, List<String> extraArguments) {
        this.python = python;
        this.dir = dir;
        this.port = port;
        this.environment = environment;
        this.extraArguments = extraArguments;
    }

    /** Starts a plain tracking server whose state lives in {@code dir}. */
    public static MlflowServer start(Path dir) {
        MlflowServer server = new MlflowServer(TestEnvironment.python("mlflow"), dir, freePort(), Map.of(), List.of());
        server.start();
        return server;
    }

    /**
     * Starts a server with MLflow's basic-auth app and one admin user; the app needs Flask-WTF
     * ({@code mlflow[auth]}) and a Flask secret key.
     */
    public static MlflowServer startWithBasicAuth(Path dir, String adminUser, String adminPassword) {
        Path python = TestEnvironment.python("mlflow", "flask_wtf");
        Path config = dir.resolve("basic_auth.ini");
        String ini = String.join("\n", "[mlflow]", "default_permission = READ",
                "database_uri = sqlite:///" + dir.resolve("basic_auth.db").toAbsolutePath(),
                "admin_username = " + adminUser, "admin_password = " + adminPassword,
                "authorization_function = mlflow.server.auth:authenticate_request_basic_auth",
                // Checking a password costs a PBKDF2 hash per request; cache it as a busy server would.
                "auth_cache_ttl_seconds = 600", "");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, ini);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        MlflowServer server = new MlflowServer(python, dir, freePort(),
                Map.of("MLFLOW_AUTH_CONFIG_PATH", config.toString(), "MLFLOW_FLASK_SERVER_SECRET_KEY", "mlops-test-only"),
                List.of("--app-name", "basic-auth"));
        server.start();
        return server;
    }

    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    public Path artifactsDirectory() {
        return dir.resolve("artifacts");
    }

    /** Starts (again) on the same port with the same state: the retry tests restart a stopped server. */
    public synchronized void start() {
        List<String> command = new ArrayList<>(List.of(python.toString(), "-m", "mlflow", "server",
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--workers", "1",
                "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(),
                "--serve-artifacts", "--artifacts-destination", artifactsDirectory().toAbsolutePath().toString()));
        command.addAll(extraArguments);
        try {
            Files.createDirectories(dir);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            // The registry needs no background jobs; their runner is one more Python process to start.
            builder.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
        awaitHealthy();
    }

    /** Stops the server and every process it started, and waits until the port is free. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        TestProcesses.stopTree(process, "mlflow server");
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(uri() + "/health")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                fail("mlflow server exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(250);
        }
        stop();
        fail("mlflow server did not become healthy within " + STARTUP.toSeconds() + " s:\n" + logTail());
    }

    private Path log() {
        return dir.resolve("server.log");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        return TestProcesses.freePort();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Test helper: a GET against the server's REST API, JSON text back. */
    public String getJson(String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri() + pathAndQuery)).timeout(Duration.ofSeconds(30));
        new HashMap<>(headers).forEach(request::header);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                fail("GET " + pathAndQuery + " -> " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
