package io.jenkins.plugins.mlops.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.image.BaseImages;
import io.jenkins.plugins.mlops.image.ImageRegistry;
import io.jenkins.plugins.mlops.image.Podman;
import io.jenkins.plugins.mlops.image.PodmanContainers;
import io.jenkins.plugins.mlops.image.RegistryAuth;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.registry.MlflowServer;
import io.jenkins.plugins.mlops.registry.ModelRegistries;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelSource;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.Registration;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Json;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops package} against real parts: the churn example's model registered in a real MLflow
 * server, Debian's docker-registry with basic auth, a Debian base made by mmdebstrap and pushed by
 * podman, and podman running the packaged image, whose scoring server must answer what the model
 * predicts in Python on the same rows.
 */
class PackageStepTest {
    private static final Path CHURN = Path.of(System.getProperty("mlops.repo", "..")).resolve("examples/churn")
            .toAbsolutePath().normalize();
    private static final String USER = "builder";
    private static final String PASSWORD = "s3cret-for-the-test-registry";
    private static final RegistryAuth AUTH = new RegistryAuth(USER, PASSWORD);
    private static final int ROWS = 200;

    @TempDir
    static Path dir;
    private static MlflowServer mlflow;
    private static ImageRegistry registry;
    private static Path model;
    private static String base;

    @BeforeAll
    static void realParts() throws Exception {
        Path python = TestEnvironment.python("mlflow", "sklearn");
        Process train = new ProcessBuilder(python.toString(), CHURN.resolve("train.py").toString(), "--data",
                CHURN.resolve("data/reference.csv").toString(), "--out", dir.resolve("churn").toString(), "--epochs", "3")
                .redirectErrorStream(true).redirectOutput(dir.resolve("train.log").toFile()).start();
        if (!train.waitFor(300, TimeUnit.SECONDS) || train.exitValue() != 0) {
            fail("train.py failed: " + Files.readString(dir.resolve("train.log")));
        }
        model = dir.resolve("churn/model");
        mlflow = MlflowServer.start(dir.resolve("mlflow"));
        ModelRegistry models = ModelRegistries.open(mlflow.uri(), RegistryCredentials.NONE, Duration.ofSeconds(120), m -> {});
        models.register(new Registration("churn", new ModelSource(model.toString(), true), null, List.of("staging"), Map.of(),
                Map.of(), null, null, "churn", "package-test"));
        registry = ImageRegistry.start(dir.resolve("registry"), USER, PASSWORD);
        base = registry.host() + "/debian-python:bookworm";
        Podman.importAndPush(BaseImages.pythonRootfs(), base, USER + ":" + PASSWORD);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (mlflow != null) {
            mlflow.close();
        }
    }

    @Test
    void packagesTheRegisteredModelTwiceToTheSameDigestAndTheImageAnswersAsThePythonModel() throws Exception {
        long first = System.nanoTime();
        PackageResult one = pack("models:/churn@staging", registry.host() + "/churn:build-1", base, AUTH);
        double firstSeconds = (System.nanoTime() - first) / 1e9;
        long second = System.nanoTime();
        PackageResult two = pack("models:/churn@staging", registry.host() + "/churn:build-2", base, AUTH);
        double secondSeconds = (System.nanoTime() - second) / 1e9;
        System.out.printf("package: first build %.1f s, second %.1f s, image %d bytes, %d layers, digest %s%n", firstSeconds,
                secondSeconds, one.sizeBytes(), one.layers(), one.digest());

        assertThat(one.status()).isEqualTo(Status.PASS);
        assertThat(two.digest()).as("the same model on the same base").isEqualTo(one.digest());
        assertThat(one.image()).isEqualTo(registry.host() + "/churn@" + one.digest());
        assertThat(one.requirements()).contains("mlflow-skinny==3.17.2", "scikit-learn==1.9.1").noneMatch(r -> r.startsWith("mlflow=="));
        assertThat(registry.get("/v2/churn/manifests/build-2").headers().firstValue("Docker-Content-Digest")).contains(one.digest());
        ModelVersion version = ModelRegistries.open(mlflow.uri(), RegistryCredentials.NONE, Duration.ofSeconds(60), m -> {})
                .getByAlias("churn", "staging");
        assertThat(version.tags()).containsEntry(ImageDigests.VERSION_TAG, one.image());
        assertThat(ImageDigests.requireNamedBy(version, one.image()).digest()).isEqualTo(one.digest());

        Path expected = expectedPredictions();
        int port = TestProcesses.freePort();
        String container = "mlops-package-test-" + port;
        try {
            PodmanContainers.start(one.image(), container, port, USER + ":" + PASSWORD);
            awaitPing(port, container);
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/invocations")).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofFile(expected.resolve("body.json")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode served = Json.mapper().readTree(answer.body());
            JsonNode python = Json.mapper().readTree(expected.resolve("expected.json").toFile());
            assertThat(served.path("predictions")).hasSize(ROWS);
            assertThat(served).isEqualTo(python);
        } finally {
            PodmanContainers.remove(container);
            PodmanContainers.removeImage(one.image());
        }
    }

    @Test
    void anUnknownModelIsBadInputAndPushesNothing() {
        assertThatThrownBy(() -> pack("models:/no-such-model@staging", registry.host() + "/refused:1", base, AUTH))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no-such-model");
        assertThatThrownBy(() -> pack("models:/churn@no-such-alias", registry.host() + "/refused:1", base, AUTH))
                .isInstanceOf(BadInputException.class).hasMessageContaining("no-such-alias");
        assertThat(registry.tags("refused")).isEmpty();
    }

    @Test
    void aMissingBaseOrABaseWithoutPythonIsBadInputAndPushesNothing() {
        assertThatThrownBy(() -> pack("models:/churn@staging", registry.host() + "/refused:2", registry.host() + "/no-base:1", AUTH))
                .isInstanceOf(BadInputException.class).hasMessageContaining("does not exist");
        String bare = registry.host() + "/bare:1";
        Podman.importAndPush(BaseImages.rootfsWithoutPython(dir), bare, USER + ":" + PASSWORD);
        assertThatThrownBy(() -> pack("models:/churn@staging", registry.host() + "/refused:2", bare, AUTH))
                .isInstanceOf(BadInputException.class).hasMessageContaining("has no Python");
        assertThat(registry.tags("refused")).isEmpty();
    }

    @Test
    void aRegistryThatRefusesTheCredentialsOrCannotBeReachedFailsBeforePushing() {
        assertThatThrownBy(() -> pack("models:/churn@staging", registry.host() + "/refused:3", base,
                new RegistryAuth(USER, "wrong-password-for-the-test")))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("refused the credentials of user " + USER)
                .hasMessageNotContaining("wrong-password");
        assertThatThrownBy(() -> pack("models:/churn@staging", registry.host() + "/refused:3", base, RegistryAuth.ANONYMOUS))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("refused without credentials");
        assertThat(registry.tags("refused")).isEmpty();
        String nowhere = "127.0.0.1:" + TestProcesses.freePort();
        assertThatThrownBy(() -> pack("models:/churn@staging", nowhere + "/churn:1", base, AUTH))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("cannot reach image registry " + nowhere);
    }

    @Test
    void aDirectoryTakesKServesImageFreePath() throws IOException {
        PackageResult result = PackageStep.run(PackageParameters.builder().set("model", model.toString())
                .set("inferenceService", "isvc.yaml").build(), mlflow.uri(), RegistryCredentials.NONE, AUTH, dir, m -> {});
        String yaml = Files.readString(dir.resolve("isvc.yaml"));
        assertThat(yaml).contains("kind: InferenceService", "name: mlflow", "storageUri: \"" + model.toUri() + "\"");
        assertThat(result.image()).isNull();
        assertThat(result.inferenceService()).isEqualTo(yaml);
        // KServe's storage initializer cannot fetch file: URIs: the result says so instead of passing.
        assertThat(result.status()).isEqualTo(Status.WARN);
    }

    private static PackageResult pack(String uri, String image, String baseImage, RegistryAuth auth) {
        PackageParameters parameters = PackageParameters.builder().set("model", uri).set("image", image).set("base", baseImage)
                .set("python", TestEnvironment.python("pip").toString()).set("wheelCache", dir.resolve("wheels").toString())
                .build();
        return PackageStep.run(parameters, mlflow.uri(), RegistryCredentials.NONE, auth, dir, m -> System.out.println(m));
    }

    private static Path expectedPredictions() throws IOException, InterruptedException {
        Path out = Files.createDirectories(dir.resolve("expected"));
        Path script = out.resolve("expected_predictions.py");
        try (InputStream in = PackageStepTest.class.getResourceAsStream("expected_predictions.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process process = new ProcessBuilder(TestEnvironment.python("mlflow").toString(), script.toString(), CHURN.toString(),
                CHURN.resolve("data/current.csv").toString(), String.valueOf(ROWS), model.toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("log").toFile()).start();
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("expected_predictions.py failed: " + Files.readString(out.resolve("log")));
        }
        return out;
    }

    /** The container is ready when its scoring server answers /ping (loading the model takes seconds). */
    private static void awaitPing(int port, String container) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(180);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // The server is still importing its model.
            }
            if (!Podman.run("inspect", "-f", "{{.State.Running}}", container).equals("true")) {
                fail("the container stopped: " + PodmanContainers.logs(container));
            }
            Thread.sleep(200);
        }
        fail("the scoring server in the container did not answer /ping within 180 s: " + PodmanContainers.logs(container));
    }
}
