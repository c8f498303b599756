package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.registry.LocalRegistry;
import io.jenkins.plugins.mlops.registry.MlflowRegistry;
import io.jenkins.plugins.mlops.registry.MlflowServer;
import io.jenkins.plugins.mlops.registry.ModelRegistry;
import io.jenkins.plugins.mlops.registry.ModelSource;
import io.jenkins.plugins.mlops.registry.ModelVersion;
import io.jenkins.plugins.mlops.registry.Registration;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops run} when the champion alias points at a version whose model is gone from the
 * registry: the run stops with exit 3 before the gate, instead of holding the candidate to the
 * first-model floors and promoting it (a model with accuracy 0.75 over one with 0.95). The alias
 * stays and no version is registered, on the local registry and on a real MLflow server.
 */
class DanglingChampionTest {
    private static final int ROWS = 100;

    @TempDir
    Path dir;

    @BeforeEach
    void writeProject() throws IOException {
        // The candidate is right on 75 of 100 rows, the champion's predictions on 95, the prior on 70.
        Files.write(dir.resolve("candidate.csv"), predictions(75));
        Files.write(dir.resolve("champion.csv"), predictions(95));
        Files.write(dir.resolve("prior.csv"), predictions(70));
        Files.writeString(dir.resolve("policy.yaml"), "primary_metric: accuracy\nmetrics:\n  accuracy: {max_regression: 0.01}\n");
        Files.writeString(dir.resolve("policy-first.yaml"), "primary_metric: accuracy\nmetrics:\n  accuracy: {threshold: 0.7}\n");
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("MLmodel"), "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n");
        Files.writeString(model.resolve("weights.bin"), "candidate weights");
    }

    @Test
    void aChampionWhoseVersionDirectoryIsGoneStopsTheLocalRunWithExitThree() throws IOException {
        String registry = "file:" + dir.resolve("registry");
        ModelRegistry models = new LocalRegistry(dir.resolve("registry"), line -> { });
        registerChampion(models);
        deleteTree(dir.resolve("registry/models/churn/versions/1"));
        writePipeline(registry);

        ChurnProject.Result run = ChurnProject.mlops("run", dir.resolve("mlops.yaml").toString());

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(run.err()).contains("churn@champion points at version 1, which is gone").doesNotContain("first model");
        assertThat(dir.resolve("registry/models/churn/versions")).isEmptyDirectory();
        assertThat(Json.mapper().readTree(dir.resolve("registry/models/churn/registered-model.json").toFile())
                .path("aliases").path("champion").asInt()).isEqualTo(1);
    }

    @Test
    void aChampionWhoseArtifactsAreGoneFromMlflowStopsTheRunWithExitThree(@TempDir Path serverDir) throws IOException {
        try (MlflowServer server = MlflowServer.start(serverDir)) {
            ModelRegistry models = new MlflowRegistry(URI.create(server.uri()), RegistryCredentials.NONE,
                    Duration.ofSeconds(30), line -> { });
            ModelVersion champion = registerChampion(models);
            deleteTree(runArtifacts(server.artifactsDirectory(), champion.runId()));
            writePipeline(server.uri());

            ChurnProject.Result run = ChurnProject.mlops("run", dir.resolve("mlops.yaml").toString());

            assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.INFRASTRUCTURE);
            assertThat(run.err()).contains("churn version 1 has no model at runs:/" + champion.runId() + "/model")
                    .doesNotContain("first model");
            assertThat(models.list("churn")).extracting(ModelVersion::version).containsExactly(1);
            assertThat(models.getByAlias("churn", "champion").version()).isEqualTo(1);
        }
    }

    private ModelVersion registerChampion(ModelRegistry models) {
        return models.register(new Registration("churn", ModelSource.parse(dir.resolve("model").toString()), null,
                List.of("champion"), Map.of(), Map.of("accuracy", 0.95), null, null, null, "key-champion")).version();
    }

    private void writePipeline(String registry) throws IOException {
        Files.writeString(dir.resolve("mlops.yaml"), String.join("\n",
                "name: churn",
                "registry: " + registry,
                "gate:",
                "  candidate: candidate.csv",
                "  evaluate: [cp, champion.csv, \"{out}\"]",
                "  label: y",
                "  prediction: pred",
                "  metric: [accuracy]",
                "  policy: policy.yaml",
                "  first-baseline: [cp, prior.csv, \"{out}\"]",
                "  first-policy: policy-first.yaml",
                "register:",
                "  model: model",
                ""));
    }

    /** id,y,pred where pred is right on the first {@code right} rows. */
    private static List<String> predictions(int right) {
        List<String> lines = new ArrayList<>(List.of("id,y,pred"));
        for (int i = 0; i < ROWS; i++) {
            int y = i % 2;
            lines.add(i + "," + y + "," + (i < right ? y : 1 - y));
        }
        return lines;
    }

    private static Path runArtifacts(Path artifacts, String runId) throws IOException {
        try (Stream<Path> walk = Files.walk(artifacts)) {
            return walk.filter(path -> path.endsWith(Path.of(runId, "artifacts", "model"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no artifacts of run " + runId + " under " + artifacts));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
