package io.jenkins.plugins.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.MlopsVersion;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registerModel step over the local registry: lineage, fail-closed gate, idempotency, bad input. */
class RegisterStepTest {
    private static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
    private static final String METRICS = """
            [{"name": "auc", "baseline": 0.88, "candidate": 0.912, "difference": 0.032},
             {"name": "log_loss", "baseline": 0.31, "candidate": null}]""";
    private static final String GATE = GateReports.json("PASS", METRICS);

    @TempDir
    Path workspace;

    @BeforeEach
    void model() throws IOException {
        Files.createDirectories(workspace.resolve("model"));
        Files.writeString(workspace.resolve("model/MLmodel"), "flavors: {}\n");
        Files.writeString(workspace.resolve("gate.json"), GATE);
        Files.writeString(workspace.resolve("validation.json"),
                "{\"status\": \"PASS\", \"profile\": {\"data_fingerprint\": \"sha256:feedbeef\"}}");
    }

    @Test
    void recordsLineageAsTagsAndGateMetricsOnTheVersion() {
        RegisterResult result = RegisterStep.run(config("https://ci/job/churn/12/", "gate.json", "validation.json", COMMIT),
                RegistryCredentials.NONE, line -> { });

        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.version()).isEqualTo(1);
        assertThat(result.created()).isTrue();
        assertThat(result.aliases()).containsExactly("staging");
        assertThat(result.tags())
                .containsEntry("mlops.git_commit", COMMIT)
                .containsEntry("mlops.build_url", "https://ci/job/churn/12/")
                .containsEntry("mlops.data_fingerprint", "sha256:feedbeef")
                .containsEntry("mlops.gate_decision", "PASS")
                .containsEntry("mlops.gate.auc", "0.912")
                .containsEntry("mlops.version", MlopsVersion.get())
                .containsEntry("team", "churn")
                .containsKeys("mlops.model_sha256", "mlops.idempotency_key")
                .doesNotContainKey("mlops.gate.log_loss");
        assertThat(result.modelFiles()).isEqualTo(1);
        assertThat(result.checks()).extracting(Check::name).contains("lineage_git_commit", "gate_decision", "registered");
        assertThat(result.summary()).contains("Registered churn version 1", "staging");
    }

    @Test
    void theSameBuildRegisteringTheSameModelTwiceGetsOneVersion() {
        RegisterConfig config = config("https://ci/job/churn/12/", null, null, COMMIT);
        RegisterResult first = RegisterStep.run(config, RegistryCredentials.NONE, line -> { });
        RegisterResult again = RegisterStep.run(config, RegistryCredentials.NONE, line -> { });
        RegisterResult nextBuild = RegisterStep.run(config("https://ci/job/churn/13/", null, null, COMMIT),
                RegistryCredentials.NONE, line -> { });

        assertThat(again.version()).isEqualTo(first.version());
        assertThat(again.created()).isFalse();
        assertThat(again.summary()).startsWith("Already registered");
        assertThat(nextBuild.version()).isEqualTo(2);
    }

    @Test
    void aModelTheGateRejectedIsNotRegistered() throws IOException {
        Files.writeString(workspace.resolve("gate.json"), GateReports.json("FAIL", METRICS));

        RegisterResult result = RegisterStep.run(config(null, "gate.json", null, COMMIT), RegistryCredentials.NONE, line -> { });

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.version()).isNull();
        assertThat(result.summary()).contains("gate decided FAIL");
        assertThat(workspace.resolve("registry")).doesNotExist();
    }

    @Test
    void missingLineageIsAWarningNotAFailure() {
        RegisterResult result = RegisterStep.run(config(null, null, null, COMMIT), RegistryCredentials.NONE, line -> { });

        assertThat(result.status()).isEqualTo(Status.WARN);
        assertThat(result.checks()).filteredOn(c -> c.status() == Status.WARN).extracting(Check::name)
                .containsExactlyInAnyOrder("lineage_build_url", "lineage_data_fingerprint", "gate_decision");
    }

    @Test
    void theCommitComesFromGitWhenNotGiven() throws Exception {
        git("init", "-q");
        git("-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-q", "--allow-empty", "-m", "train");
        String head = git("rev-parse", "HEAD");

        RegisterResult result = RegisterStep.run(config(null, null, null, null), RegistryCredentials.NONE, line -> { });

        assertThat(result.tags()).containsEntry("mlops.git_commit", head);
    }

    @Test
    void badReportsAreBadInputThatNamesTheFileAndNothingIsRegistered() throws IOException {
        Files.writeString(workspace.resolve("broken.json"), "{\"decision\": \"PASS\",\n \"metrics\": [}");
        Files.writeString(workspace.resolve("nodecision.json"), "{\"metrics\": []}");
        Files.writeString(workspace.resolve("badmetric.json"), GateReports.json("PASS", "[{\"name\": \"auc\", \"candidate\": \"high\"}]"));
        Files.writeString(workspace.resolve("array.json"), "[1, 2]");
        Files.writeString(workspace.resolve("nofingerprint.json"), "{\"status\": \"PASS\"}");
        Files.writeString(workspace.resolve("empty.json"), "");

        assertBadInput(config(null, "broken.json", null, COMMIT), "broken.json", "line 2");
        assertBadInput(config(null, "nodecision.json", null, COMMIT), "nodecision.json", "decision");
        assertBadInput(config(null, "badmetric.json", null, COMMIT), "badmetric.json", "metrics[0].candidate");
        assertBadInput(config(null, "array.json", null, COMMIT), "array.json", "JSON object");
        assertBadInput(config(null, "missing.json", null, COMMIT), "missing.json", "does not exist");
        assertBadInput(config(null, null, "nofingerprint.json", COMMIT), "nofingerprint.json", "data_fingerprint");
        assertBadInput(config(null, "empty.json", null, COMMIT), "empty.json", "JSON object");
        assertThat(workspace.resolve("registry")).doesNotExist();
    }

    @Test
    void aMissingOrEmptyModelIsBadInput() throws IOException {
        Files.createDirectories(workspace.resolve("empty-model"));

        assertBadInput(withModel("no-such-model"), "no-such-model", "does not exist");
        assertBadInput(withModel("empty-model"), "empty-model", "has no files");
    }

    @Test
    void configRejectsReservedTagsBadAliasesAndTimeouts() {
        assertThatThrownBy(() -> new RegisterConfig("file:r", "churn", "model", null, List.of(), Map.of("mlops.git_commit", "x"),
                null, null, null, null, null, null, null, null, java.time.Duration.ofSeconds(10))).isInstanceOf(BadInputException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> new RegisterConfig("file:r", "churn", "model", null, List.of("v2"), Map.of(),
                null, null, null, null, null, null, null, null, java.time.Duration.ofSeconds(10))).isInstanceOf(BadInputException.class).hasMessageContaining("v2");
        assertThatThrownBy(() -> new RegisterConfig("file:r", "churn", "model", null, List.of("no spaces"), Map.of(),
                null, null, null, null, null, null, null, null, java.time.Duration.ofSeconds(10))).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> new RegisterConfig("file:r", " ", "model", null, List.of(), Map.of(),
                null, null, null, null, null, null, null, null, java.time.Duration.ofSeconds(10))).isInstanceOf(BadInputException.class).hasMessageContaining("--name");
        assertThatThrownBy(() -> new RegisterConfig("file:r", "churn", "model", null, List.of(), Map.of(),
                null, null, null, null, null, null, null, null, java.time.Duration.ofSeconds(0))).isInstanceOf(BadInputException.class).hasMessageContaining("--timeout");
    }

    @Test
    void registryUrisAreCheckedWithoutEchoingCredentials() {
        assertThatThrownBy(() -> ModelRegistries.open("https://bob:hunter2@mlflow.example.com", RegistryCredentials.NONE,
                java.time.Duration.ofSeconds(1), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("MLFLOW_TRACKING_PASSWORD").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ModelRegistries.open("postgresql://bob:hunter2@db/mlflow", RegistryCredentials.NONE,
                java.time.Duration.ofSeconds(1), line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContaining("'postgresql'").hasMessageNotContaining("hunter2");
        assertThat(ModelRegistries.open("file:" + workspace.resolve("r"), RegistryCredentials.NONE, java.time.Duration.ofSeconds(1),
                line -> { }).location()).isEqualTo("file:" + workspace.resolve("r"));
        assertThat(ModelRegistries.open(workspace.resolve("r").toUri().toString(), RegistryCredentials.NONE,
                java.time.Duration.ofSeconds(1), line -> { })).isInstanceOf(LocalRegistry.class);
    }

    private void assertBadInput(RegisterConfig config, String... fragments) {
        assertThatThrownBy(() -> RegisterStep.run(config, RegistryCredentials.NONE, line -> { }))
                .isInstanceOf(BadInputException.class).hasMessageContainingAll(fragments);
    }

    private RegisterConfig config(String buildUrl, String gateReport, String dataReport, String commit) {
        return new RegisterConfig("file:" + workspace.resolve("registry"), "churn", "model", null, List.of("staging"),
                Map.of("team", "churn"), "nightly retrain", null, null, gateReport, dataReport, commit, buildUrl,
                workspace.toString(), java.time.Duration.ofSeconds(30));
    }

    private RegisterConfig withModel(String model) {
        return new RegisterConfig("file:" + workspace.resolve("registry"), "churn", model, null, List.of(), Map.of(),
                null, null, null, null, null, COMMIT, null, workspace.toString(), java.time.Duration.ofSeconds(30));
    }

    private String git(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).directory(workspace.toFile()).redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue()).as(out).isZero();
        return out;
    }
}
