package io.jenkins.plugins.mlops.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.gate.Metric;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.train.TrainBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mlops.yaml} is read strictly: every mistake a tired user makes is bad input naming the line and key. */
class PipelineFileTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("mlops.repo", "..")).resolve("examples/churn/mlops.yaml");

    @Test
    void theExampleReadsWithEveryStage() {
        PipelineConfig config = PipelineFile.read(EXAMPLE);

        assertThat(config.name()).isEqualTo("churn");
        assertThat(config.registry()).isEqualTo("file:.mlops/registry");
        assertThat(config.validate().onDrift()).isEqualTo(ValidateStage.OnDrift.RETRAIN);
        assertThat(config.smokeTrain().parameters(s -> s, s -> s).build().expectOutput()).containsExactly("{out}/model/MLmodel");
        assertThat(config.smokeTrain().values().get("perturb")).isEqualTo(List.of("nan", "unseen-category", "empty-column=monthly_charges"));
        assertThat(config.train().parameters(s -> s).build().backend()).isEqualTo(TrainBackend.LOCAL);
        assertThat(config.train().model()).isEqualTo("{run}/train/model");
        assertThat(config.gate().parameters(s -> s).build().metric()).extracting(Metric::id).containsExactly("roc_auc", "log_loss", "accuracy", "f1");
        assertThat(config.gate().evaluate()).contains("{model}", "{out}");
        assertThat(config.register().parameters("churn", "model").build().alias()).containsExactly("staging");
    }

    @Test
    void unknownKeyNamesItsLineItsPathAndTheKnownKeys() {
        String yaml = "name: churn\nvalidate:\n  data: d.csv\n  fail_on: warn\n  schema: s.yaml\n";

        assertThatThrownBy(() -> PipelineFile.parse(yaml, "mlops.yaml"))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("mlops.yaml line 4: validate.fail_on: unknown key 'fail_on'; known keys: data, delimiter, engine, fail-on,");
    }

    @Test
    void unknownStageIsAnUnknownTopLevelKey() {
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\nvalidate: {data: d.csv}\npromote:\n  to: prod\n", "f"))
                .hasMessageContaining("line 3").hasMessageContaining("unknown key 'promote'").hasMessageContaining("smoke-train");
    }

    @Test
    void wrongTypesAreNotCoerced() {
        String base = "name: churn\nsmoke-train:\n  data: d.csv\n  command: [python, t.py]\n";

        assertThatThrownBy(() -> PipelineFile.parse(base + "  rows: many\n", "f"))
                .hasMessageContaining("line 5").hasMessageContaining("smoke-train.rows");
        assertThatThrownBy(() -> PipelineFile.parse(base + "  rows: 1.5\n", "f"))
                .hasMessageContaining("smoke-train.rows");
        assertThatThrownBy(() -> PipelineFile.parse(base.replace("[python, t.py]", "{python: t.py}"), "f"))
                .hasMessageContaining("smoke-train.command");
    }

    @Test
    void theCiStageKeepsItsCommandsInTheOrderWritten() {
        PipelineConfig config = PipelineFile.parse(String.join("\n", "name: calc", "ci:", "  commands:",
                "    types: [mypy, .]", "    lint: [ruff, check, .]", "    tests: [pytest, --junitxml, \"{junit}\"]", ""), "f");

        assertThat(config.ci().commands().keySet()).containsExactly("types", "lint", "tests");
        assertThat(config.ci().commands().get("tests")).containsExactly("pytest", "--junitxml", "{junit}");
        assertThat(config.ci().timeout()).isEqualTo("10m");
    }

    @Test
    void aCiStageWithoutCommandsOrWithAnEmptyOneSaysWhich() {
        assertThatThrownBy(() -> PipelineFile.parse("name: calc\nci:\n  timeout: 5m\n", "f"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("ci.commands: is required");
        assertThatThrownBy(() -> PipelineFile.parse("name: calc\nci:\n  commands:\n    lint: []\n", "f"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("ci.commands.lint: is required");
        assertThatThrownBy(() -> PipelineFile.parse("name: calc\nci:\n  commands:\n    lint: [ruff]\n    lint: [flake8]\n", "f"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("Duplicate field 'lint'");
    }

    @Test
    void aMisspeltPerturbationIsBadInputWhenTheFileIsRead() {
        String yaml = "name: churn\nsmoke-train:\n  data: d.csv\n  command: [python, t.py]\n  perturb: [nan, nulls]\n";

        assertThatThrownBy(() -> PipelineFile.parse(yaml, "f")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("unknown perturbation 'nulls'");
    }

    @Test
    void aTrainingChangeAddsItsArgumentsAfterTheCommandsOwn() {
        PipelineConfig config = PipelineFile.read(EXAMPLE);
        TrainStage changed = config.train().withArguments(List.of("--drop-feature", "contract"));

        assertThat(changed.values().get("command")).asList().endsWith("--out", "{run}/train", "--drop-feature", "contract");
        assertThat(config.withTrain(changed).train()).isEqualTo(changed);
        assertThat(config.train().values().get("command")).asList().doesNotContain("--drop-feature");
        TrainStage oneWord = PipelineFile.parse("name: m\ntrain: {backend: local, command: ./train.sh, model: out}\n", "f")
                .train().withArguments(List.of("--fast"));
        assertThat(oneWord.values().get("command")).isEqualTo(List.of("./train.sh", "--fast"));
    }

    @Test
    void duplicateKeysAreRefused() {
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\nname: other\nvalidate: {data: d.csv}\n", "f"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("line 2").hasMessageContaining("name");
    }

    @Test
    void missingRequiredValuesSayWhich() {
        assertThatThrownBy(() -> PipelineFile.parse("validate: {data: d.csv}\n", "f")).hasMessageContaining("name: is required");
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\n", "f")).hasMessageContaining("no stage given");
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\ntrain: {backend: local, command: [python, t.py]}\n", "f"))
                .hasMessageContaining("train.model: is required");
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\nsmoke-train: {data: d.csv}\n", "f"))
                .hasMessageContaining("smoke-train.command: is required");
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\ngate: {label: y, prediction: p}\n", "f"))
                .hasMessageContaining("line 2: gate.evaluate: is required unless candidate");
    }

    @Test
    void routerStagesTakeARunningRouterInsteadOfProductionsUrl() {
        String base = "name: churn\nvalidate: {data: d.csv}\n";

        PipelineConfig config = PipelineFile.parse(base + "canary:\n  router: http://mlops-router:8080\n"
                + "  router-token-file: secrets/router-token\n  candidate: http://churn-candidate:8080\n", "f");
        assertThat(config.canary().servesBoth()).as("a running router needs no served models, nor serve").isFalse();
        assertThat(config.canary().parameters(s -> s).build().routerTokenFile()).isEqualTo("secrets/router-token");

        assertThatThrownBy(() -> PipelineFile.parse(base + "shadow:\n  router: http://mlops-router:8080\n"
                + "  primary: http://churn-champion:8080\n  shadow: http://churn-candidate:8080\n", "f"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("shadow.primary")
                .hasMessageContaining("with router, the running router answers clients");
        assertThatThrownBy(() -> PipelineFile.parse(base + "canary:\n  stable: http://churn-champion:8080\n", "f"))
                .hasMessageContaining("give both stable and candidate URLs, or neither");
        assertThatThrownBy(() -> PipelineFile.parse(base + "shadow:\n  router: ftp://router\n  shadow: http://c:8080\n", "f"))
                .hasMessageContaining("shadow").hasMessageContaining("router");
        assertThatThrownBy(() -> PipelineFile.parse(base + "canary:\n  router-token: s3cret\n", "f"))
                .as("no token in the file").hasMessageContaining("unknown key 'router-token'");
    }

    @Test
    void anUnknownEnumValueIsBadInput() {
        assertThatThrownBy(() -> PipelineFile.parse("name: churn\nvalidate: {data: d.csv, on-drift: ignore}\n", "f"))
                .hasMessageContaining("validate.on-drift").hasMessageContaining("ignore");
    }

    @Test
    void emptyBrokenAndMissingFilesAreBadInput(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> PipelineFile.parse("  \n", "f")).hasMessageContaining("empty");
        assertThatThrownBy(() -> PipelineFile.parse("name: [unclosed\n", "f")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("f line");
        assertThatThrownBy(() -> PipelineFile.parse("- a\n- b\n", "f")).isInstanceOf(BadInputException.class);
        assertThatThrownBy(() -> PipelineFile.read(dir.resolve("absent.yaml"))).hasMessageContaining("not found");
        Path huge = dir.resolve("huge.yaml");
        Files.writeString(huge, "name: churn\n" + "# padding\n".repeat(200_000));
        assertThatThrownBy(() -> PipelineFile.read(huge)).hasMessageContaining("larger than 1.0 MiB");
    }

    @Test
    void oneValueMayStandForAList() {
        PipelineConfig config = PipelineFile.parse(
                "name: churn\ngate: {label: y, prediction: p, candidate: c.csv, baseline: b.csv, metric: roc_auc}\n", "f");

        assertThat(config.gate().parameters(s -> s).build().metric()).extracting(Metric::id).containsExactly("roc_auc");
    }
}
