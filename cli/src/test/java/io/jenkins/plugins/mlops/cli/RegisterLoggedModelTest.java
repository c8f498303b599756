package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.registry.MlflowServer;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that MLflow 3.17's Python client logged ({@code log_model(m, name="model")}, a LoggedModel
 * outside the run's artifacts), registered by {@code mlops register} from {@code runs:/RUN/model}
 * and from {@code models:/m-<id>}, then loaded back by MLflow's client by alias: the version is one
 * that {@code mlflow.pyfunc.load_model} can load and that predicts what the trained model predicts.
 */
class RegisterLoggedModelTest {
    private static final String BUILD = "https://ci.example.com/job/churn/2/";

    @TempDir
    static Path serverDir;

    static MlflowServer server;
    static JsonNode logged;

    @TempDir
    Path dir;

    private String out;
    private String err;

    @BeforeAll
    static void startServerAndLogAModel() throws Exception {
        server = MlflowServer.start(serverDir);
        logged = Json.mapper().readTree(python(serverDir, "log", server.uri()));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void bothUriFormsRegisterALoadableVersionAndTheRunGetsItsLineageOnlyOnSuccess() throws Exception {
        String run = logged.path("run_id").asText();
        String modelId = logged.path("model_id").asText();

        // Refused first: no logged model of that name. Nothing is registered and the run keeps its tags.
        int refused = mlops("register", "--registry", server.uri(), "--name", "churn", "--model", "runs:/" + run + "/modle",
                "--build-url", BUILD, "--git-commit", "0123456789abcdef0123456789abcdef01234567");
        assertThat(refused).as(err).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err).contains("run " + run + " has no MLflow model at 'modle'", "no logged model named 'modle'");
        assertThat(runTag(run, "mlops.build_url")).isEqualTo("https://ci.example.com/job/churn/1/");
        assertThat(server.getJson("/api/2.0/mlflow/registered-models/search", Map.of())).doesNotContain("churn");

        int byRun = mlops("register", "--registry", server.uri(), "--name", "churn", "--model", "runs:/" + run + "/model",
                "--build-url", BUILD, "--git-commit", "0123456789abcdef0123456789abcdef01234567", "--json");
        assertThat(byRun).as(err).isEqualTo(ExitCodes.PASSED);
        JsonNode version = Json.mapper().readTree(out);
        assertThat(version.path("source").asText()).isEqualTo("models:/" + modelId);
        assertThat(version.path("run_id").asText()).isEqualTo(run);
        assertThat(runTag(run, "mlops.build_url")).isEqualTo(BUILD);

        int byId = mlops("register", "--registry", server.uri(), "--name", "churn-by-id", "--model", "models:/" + modelId,
                "--build-url", BUILD, "--json");
        assertThat(byId).as(err).isEqualTo(ExitCodes.PASSED);
        JsonNode second = Json.mapper().readTree(out);
        assertThat(second.path("run_id").asText()).as("the logged model's source run").isEqualTo(run);
        // The server links a version to a logged model only when the create names its model_id.
        assertThat(server.getJson("/api/2.0/mlflow/logged-models/" + modelId, Map.of()))
                .contains("mlflow.modelVersions", "\\\"name\\\": \\\"churn\\\"", "\\\"name\\\": \\\"churn-by-id\\\"");

        JsonNode loaded = Json.mapper().readTree(python(dir, "load", server.uri(), "churn", "churn-by-id"));
        assertThat(loaded.path("churn")).isEqualTo(logged.path("predictions"));
        assertThat(loaded.path("churn-by-id")).isEqualTo(logged.path("predictions"));
    }

    @Test
    void sourcesThatHoldNoModelAreBadInputAndChangeNothing() throws Exception {
        String run = logged.path("run_id").asText();
        String before = server.getJson("/api/2.0/mlflow/registered-models/search", Map.of());
        Path noMlmodel = Files.createDirectories(dir.resolve("pickle-only"));
        Files.writeString(noMlmodel.resolve("model.pkl"), "not an MLflow model");

        List<String[]> cases = List.of(
                new String[] {"models:/m-0000000000000000000000000000dead", "has no logged model m-0000000000000000000000000000dead"},
                new String[] {"runs:/0000000000000000000000000000dead/model", "has no run 0000000000000000000000000000dead"},
                new String[] {"runs:/" + run, "is not runs:/RUN_ID/PATH"},
                new String[] {noMlmodel.toString(), "holds no MLmodel file"});
        for (String[] bad : cases) {
            int code = mlops("register", "--registry", server.uri(), "--name", "churn-bad", "--model", bad[0], "--timeout", "20");
            assertThat(code).as(bad[0] + ": " + err).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(err).as(bad[0]).contains(bad[1]);
        }
        assertThat(server.getJson("/api/2.0/mlflow/registered-models/search", Map.of())).isEqualTo(before);
    }

    private String runTag(String run, String key) throws IOException {
        JsonNode tags = Json.mapper().readTree(server.getJson("/api/2.0/mlflow/runs/get?run_id=" + run, Map.of()))
                .path("run").path("data").path("tags");
        for (JsonNode tag : tags) {
            if (key.equals(tag.path("key").asText())) {
                return tag.path("value").asText();
            }
        }
        return null;
    }

    private int mlops(String... args) {
        InProcess run = InProcess.mlops(args);
        out = run.out();
        err = run.err();
        return run.code();
    }

    /** Runs the MLflow 3 client script; its last stdout line is JSON. */
    private static String python(Path workDir, String... args) throws IOException, InterruptedException, URISyntaxException {
        Path script = Path.of(RegisterLoggedModelTest.class.getResource("mlflow3_models.py").toURI());
        List<String> command = new ArrayList<>(List.of(TestEnvironment.python("mlflow", "sklearn").toString(), script.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "python", ".log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectError(log.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("python " + args[0]).isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
        return stdout.substring(stdout.lastIndexOf('\n') + 1);
    }
}
