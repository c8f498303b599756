package io.jenkins.plugins.mlops.deploy;

import static org.assertj.core.api.Assertions.fail;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.TestProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * MLflow's own scoring server over a saved scikit-learn model ({@code mlflow models serve -m DIR
 * --env-manager local}) on a free loopback port, with the test venv's bin on PATH.
 */
public final class ModelServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ModelServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Trains and saves the test models into {@code dir}: primary/, shadow/, requests.jsonl, expected_agreement.txt. */
    public static void saveModels(Path dir) {
        Path python = TestEnvironment.python("mlflow", "sklearn");
        try (InputStream script = ModelServer.class.getResourceAsStream("save_models.py")) {
            Path file = dir.resolve("save_models.py");
            Files.write(file, script.readAllBytes());
            Process process = new ProcessBuilder(python.toString(), file.toString(), dir.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("save_models.log").toFile()).start();
            if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail("save_models.py failed:\n" + Files.readString(dir.resolve("save_models.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ModelServer serve(Path modelDir) {
        Path python = TestEnvironment.python("mlflow", "sklearn");
        Path bin = python.getParent();
        int port = freePort();
        Path log = modelDir.resolveSibling(modelDir.getFileName() + "-server.log");
        try {
            ProcessBuilder builder = new ProcessBuilder(bin.resolve("mlflow").toString(), "models", "serve", "-m", modelDir.toString(),
                    "-h", "127.0.0.1", "-p", String.valueOf(port), "--env-manager", "local", "-w", "1")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            ModelServer server = new ModelServer(builder.start(), port, log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url() + "/ping")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                fail("mlflow models serve exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        fail("mlflow models serve did not answer /ping within 180 s:\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Stops the server and its workers. */
    @Override
    public void close() {
        TestProcesses.stopTree(process, "model server");
    }

    static int freePort() {
        return TestProcesses.freePort();
    }
}
