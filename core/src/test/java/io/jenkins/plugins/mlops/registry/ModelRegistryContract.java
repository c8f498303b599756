package io.jenkins.plugins.mlops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ModelRegistry} promises, run against the local registry and a real MLflow
 * server. Each test uses its own model name, so one server serves the whole class.
 */
abstract class ModelRegistryContract {
    @TempDir
    Path workspace;

    final List<String> progress = new CopyOnWriteArrayList<>();

    abstract ModelRegistry registry();

    @Test
    void registersALocalModelAsVersionOneWithTagsAndAliases() throws IOException {
        String name = uniqueName();
        Registered registered = registry().register(registration(name, model("a"), "key-a", List.of("staging"),
                Map.of("team", "churn", "mlops.git_commit", "0123456789abcdef0123456789abcdef01234567")));

        ModelVersion version = registered.version();
        assertThat(registered.created()).isTrue();
        assertThat(version.name()).isEqualTo(name);
        assertThat(version.version()).isEqualTo(1);
        assertThat(version.aliases()).containsExactly("staging");
        assertThat(version.source()).isNotBlank();
        assertThat(version.tags()).containsEntry("team", "churn")
                .containsEntry("mlops.git_commit", "0123456789abcdef0123456789abcdef01234567")
                .containsEntry(Registration.IDEMPOTENCY_TAG, "key-a");
        assertThat(version.created()).isNotNull();
        assertThat(registry().get(name, 1)).isEqualTo(version);
        assertThat(registry().getByAlias(name, "staging")).isEqualTo(version);
    }

    @Test
    void versionsAreNumberedInOrderAndListedWithTheirAliases() throws IOException {
        String name = uniqueName();
        registry().register(registration(name, model("a"), "key-1", List.of("champion"), Map.of()));
        registry().register(registration(name, model("b"), "key-2", List.of("staging"), Map.of()));
        registry().register(registration(name, model("c"), "key-3", List.of(), Map.of()));

        List<ModelVersion> versions = registry().list(name);

        assertThat(versions).extracting(ModelVersion::version).containsExactly(1, 2, 3);
        assertThat(versions).extracting(ModelVersion::aliases)
                .containsExactly(List.of("champion"), List.of("staging"), List.of());
    }

    @Test
    void theSameIdempotencyKeyReturnsTheExistingVersionAndAppliesNewAliases() throws IOException {
        String name = uniqueName();
        Path model = model("same");
        Registered first = registry().register(registration(name, model, "key-same", List.of("staging"), Map.of()));
        Registered again = registry().register(registration(name, model, "key-same", List.of("candidate"), Map.of()));

        assertThat(again.created()).isFalse();
        assertThat(again.version().version()).isEqualTo(first.version().version());
        assertThat(again.version().aliases()).containsExactly("candidate", "staging");
        assertThat(registry().list(name)).hasSize(1);
    }

    @Test
    void settingAnAliasMovesItFromTheVersionThatHadIt() throws IOException {
        String name = uniqueName();
        registry().register(registration(name, model("a"), "key-1", List.of("champion"), Map.of()));
        registry().register(registration(name, model("b"), "key-2", List.of(), Map.of()));

        ModelVersion promoted = registry().setAlias(name, "champion", 2);

        assertThat(promoted.version()).isEqualTo(2);
        assertThat(promoted.aliases()).containsExactly("champion");
        assertThat(registry().get(name, 1).aliases()).isEmpty();
        assertThat(registry().getByAlias(name, "champion").version()).isEqualTo(2);
    }

    /** What mlops package writes: the image's digest on the version, replacing an earlier one, the other tags kept. */
    @Test
    void aTagIsSetOnOneVersionAndReplacedBySettingItAgain() throws IOException {
        String name = uniqueName();
        registry().register(registration(name, model("a"), "key-1", List.of("staging"), Map.of("team", "churn")));

        registry().setTag(name, 1, "mlops.image", "registry.example.com/churn@sha256:1");
        ModelVersion tagged = registry().setTag(name, 1, "mlops.image", "registry.example.com/churn@sha256:2");

        assertThat(tagged.tags()).containsEntry("mlops.image", "registry.example.com/churn@sha256:2").containsEntry("team", "churn");
        assertThat(registry().getByAlias(name, "staging").tags()).containsEntry("mlops.image", "registry.example.com/churn@sha256:2");
        assertThatThrownBy(() -> registry().setTag(name, 9, "mlops.image", "x"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("9");
    }

    @Test
    void missingModelsVersionsAndAliasesAreNotFound() throws IOException {
        String name = uniqueName();
        registry().register(registration(name, model("a"), "key-1", List.of("staging"), Map.of()));

        assertThatThrownBy(() -> registry().get(name + "-missing", 1))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining(name + "-missing");
        assertThatThrownBy(() -> registry().get(name, 99))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("99");
        assertThatThrownBy(() -> registry().getByAlias(name, "champion"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("champion");
        assertThatThrownBy(() -> registry().setAlias(name, "champion", 7))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("7");
        assertThatThrownBy(() -> registry().list(name + "-missing"))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining(name + "-missing");
        assertThat(registry().getByAlias(name, "staging").version()).isEqualTo(1);
    }

    @Test
    void aModelUriIsRecordedAsItIs() {
        String name = uniqueName();
        Registration registration = new Registration(name, ModelSource.parse("s3://models/churn/42"), null,
                List.of(), Map.of(), Map.of(), "from the bucket", null, null, "key-uri");

        ModelVersion version = registry().register(registration).version();

        assertThat(version.source()).isEqualTo("s3://models/churn/42");
        assertThat(version.description()).isEqualTo("from the bucket");
    }

    @Test
    void aStageIsSetOnlyWhenAsked() throws IOException {
        String name = uniqueName();
        ModelVersion plain = registry().register(registration(name, model("a"), "key-1", List.of(), Map.of())).version();
        Registration staged = new Registration(name, ModelSource.parse(model("b").toString()), null, List.of(),
                Map.of(), Map.of(), null, "staging", null, "key-2");

        ModelVersion version = registry().register(staged).version();

        assertThat(plain.stage()).isNull();
        assertThat(version.stage()).isEqualTo("Staging");
    }

    @Test
    void recordedMetricsIncludeTheGateMetricsOfTheVersionsLineage() throws IOException {
        String name = uniqueName();
        registry().register(registration(name, model("m"), "key-m", List.of("champion"),
                Map.of("mlops.gate.roc_auc", "0.875", "mlops.gate.note", "not a number")));

        Map<String, Double> recorded = registry().recordedMetrics(registry().getByAlias(name, "champion"));

        assertThat(recorded).containsEntry("roc_auc", 0.875).doesNotContainKey("note");
    }

    @Test
    void aDeletedVersionsNumberIsNeverGivenAgain() throws IOException {
        String name = uniqueName();
        registry().register(registration(name, model("a"), "key-1", List.of("champion"), Map.of()));
        registry().register(registration(name, model("b"), "key-2", List.of(), Map.of()));
        deleteVersion(name, 2);

        ModelVersion next = registry().register(registration(name, model("c"), "key-3", List.of(), Map.of())).version();

        assertThat(next.version()).isEqualTo(3);
        assertThat(registry().list(name)).extracting(ModelVersion::version).containsExactly(1, 3);
    }

    @Test
    void aVersionWhoseModelFilesAreGoneIsUnloadableAndItsAliasStays() throws IOException {
        String name = uniqueName();
        ModelVersion champion = registry().register(registration(name, model("a"), "key-1", List.of("champion"), Map.of()))
                .version();
        ModelVersion intact = registry().register(registration(name, model("b"), "key-2", List.of(), Map.of())).version();
        deleteModelFiles(champion);

        ModelVersion holder = registry().getByAlias(name, "champion");

        assertThatThrownBy(() -> registry().requireFiles(holder)).isInstanceOf(UnloadableVersionException.class)
                .hasMessageContaining(name + " version 1");
        registry().requireFiles(intact);
        assertThat(registry().getByAlias(name, "champion").version()).isEqualTo(1);
    }

    /** Deletes a version as an operator would, outside mlops. */
    abstract void deleteVersion(String name, int version) throws IOException;

    /** Deletes the stored model files of a version, leaving the version itself registered. */
    abstract void deleteModelFiles(ModelVersion version) throws IOException;

    static void deleteTree(Path dir) throws IOException {
        assertThat(dir).exists();
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    String uniqueName() {
        return "churn-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Registration registration(String name, Path model, String key, List<String> aliases, Map<String, String> tags) {
        return new Registration(name, ModelSource.parse(model.toString()), null, aliases, tags,
                Map.of("auc", 0.91), null, null, null, key);
    }

    /** A small MLflow-style model directory whose content depends on {@code seed}. */
    Path model(String seed) throws IOException {
        Path dir = Files.createTempDirectory(workspace, "model-");
        Files.writeString(dir.resolve("MLmodel"), "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n");
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/model weights.bin"), ("weights " + seed).getBytes());
        return dir;
    }
}
