package io.jenkins.plugins.mlops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow's scoring server, started by the pipeline, whose port another socket binds between the
 * free-port probe and the server's own bind: the server fails with "address already in use" and
 * is started again on another port, a bounded number of times.
 */
class ModelServerPortTest {
    @TempDir
    static Path models;

    @TempDir
    Path runDir;

    private final List<ServerSocket> thieves = new ArrayList<>();
    private final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void saveModels() {
        io.jenkins.plugins.mlops.deploy.ModelServer.saveModels(models);
    }

    @AfterEach
    void releasePorts() throws IOException {
        for (ServerSocket thief : thieves) {
            thief.close();
        }
    }

    @Test
    void aServerWhosePortIsStolenStartsAgainOnAnotherAndServes() throws Exception {
        List<Integer> handedOut = new ArrayList<>();
        IntSupplier ports = () -> {
            int port = TestProcesses.freePort();
            handedOut.add(port);
            if (handedOut.size() == 1) {
                steal(port);
            }
            return port;
        };

        try (ModelServer server = ModelServer.launch(state(), "candidate", serve(), null, models.resolve("primary").toString(), ports)) {
            server.awaitReady();

            assertThat(handedOut).hasSize(2);
            assertThat(server.uri().getPort()).isEqualTo(handedOut.get(1));
            assertThat(Files.readString(runDir.resolve("serve-candidate.log")).toLowerCase()).contains("address already in use");
            assertThat(console).anyMatch(line -> line.contains("port " + handedOut.get(0) + " was taken by another process")
                    && line.contains("try 2 of 3"));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("/invocations"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Files.readAllLines(models.resolve("requests.jsonl")).get(0))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("predictions");
        }
    }

    @Test
    void aServerThatLosesEveryPortFailsAfterTheLastTry() throws IOException {
        List<Integer> handedOut = new ArrayList<>();
        IntSupplier ports = () -> {
            int port = TestProcesses.freePort();
            handedOut.add(port);
            steal(port);
            return port;
        };

        // serve-stop runs for every try's {name}, as `podman rm -f {name}` must for each container a try started.
        List<String> stop = List.of("sh", "-c", "echo {name} >> stopped.txt");
        try (ModelServer server = ModelServer.launch(state(), "champion", serve(), stop, models.resolve("primary").toString(), ports)) {
            assertThatThrownBy(server::awaitReady).isInstanceOf(InfrastructureException.class)
                    .hasMessageContaining("on its 3 ports, each taken by another process");
            assertThat(runDir.resolve("stopped.txt")).as("serve-stop runs when the server stops, not before").doesNotExist();
        }
        assertThat(handedOut).hasSize(ModelServer.START_TRIES);
        String run = runDir.getFileName().toString().replaceAll("[^A-Za-z0-9_.-]", "-");
        assertThat(Files.readAllLines(runDir.resolve("stopped.txt"))).containsExactly("mlops-" + run + "-champion-1",
                "mlops-" + run + "-champion-2", "mlops-" + run + "-champion-3");
    }

    /** Another socket takes the port, as another process on a busy agent would. */
    private void steal(int port) {
        try {
            thieves.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new IllegalStateException("the test could not take port " + port, e);
        }
    }

    private RunState state() {
        return new RunState(null, runDir, runDir, console::add, null);
    }

    private static List<String> serve() {
        Path mlflow = TestEnvironment.python("mlflow", "sklearn").resolveSibling("mlflow");
        return List.of(mlflow.toString(), "models", "serve", "-m", "{model}", "-h", "127.0.0.1", "-p", "{port}",
                "--env-manager", "local", "-w", "1");
    }
}
