package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The churn example's own checks, the commands its Jenkinsfile runs on a change request, through
 * {@code mlops ci} on a copy of it: its code is clean and its unit tests pass, so a change request
 * that breaks one of them is what turns the stage red.
 */
class ChurnExampleChecksTest {
    private static final List<String> SOURCES = List.of("train.py", "evaluate.py", "churn_features.py",
            "generate_data.py", "make_requests.py", "serve.py", "pyproject.toml", "data/reference.csv");

    @TempDir
    Path dir;

    @Test
    void theExamplesLintFormatTypesAndUnitTestsPass() throws IOException {
        Path python = TestEnvironment.python("pytest", "black", "mypy", "ruff", "sklearn", "mlflow");
        copyExample();
        Files.createSymbolicLink(dir.resolve(".venv"), python.getParent().getParent());
        Path reports = dir.resolve("reports");
        String bin = dir.resolve(".venv/bin") + "/";

        InProcess run = InProcess.mlops("ci", "--report", reports.toString(),
                "--command", "lint=" + bin + "ruff check --no-cache --output-format junit --output-file {junit} " + dir,
                "--command", "format=" + bin + "black --check " + dir,
                "--command", "types=" + bin + "mypy --config-file " + dir.resolve("pyproject.toml") + " --junit-xml {junit} "
                        + dir.resolve("train.py") + " " + dir.resolve("evaluate.py") + " " + dir.resolve("churn_features.py")
                        + " " + dir.resolve("serve.py") + " " + dir.resolve("tests"),
                "--command", "tests=" + bin + "python -m pytest -p no:cacheprovider --rootdir " + dir + " --junitxml {junit} "
                        + dir.resolve("tests"));

        JsonNode ci = Json.mapper().readTree(reports.resolve("ci.json").toFile());
        assertThat(run.code()).as("%s", ci.path("summary").asText()).isEqualTo(ExitCodes.PASSED);
        assertThat(ci.path("commands")).allSatisfy(command -> assertThat(command.path("status").asText())
                .as(command.path("name").asText()).isEqualTo("PASS"));
        // The loader's tests on NaNs and an unseen category, train.py on 50 rows: all in pytest's JUnit.
        assertThat(Files.readString(reports.resolve("ci-tests-junit.xml"))).contains(
                "test_a_model_trains_and_scores_on_a_file_with_gaps_in_every_feature",
                "test_a_category_the_training_data_never_had_is_scored_not_refused",
                "test_main_trains_on_fifty_rows_and_writes_the_model_and_metrics");
        assertThat(ci.path("commands").get(3).path("tests").path("tests").asInt()).isGreaterThanOrEqualTo(12);
    }

    private void copyExample() throws IOException {
        Path example = ChurnProject.EXAMPLE;
        Files.createDirectories(dir.resolve("data"));
        for (String file : SOURCES) {
            Files.copy(example.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createDirectories(dir.resolve("tests"));
        try (Stream<Path> tests = Files.list(example.resolve("tests"))) {
            for (Path test : tests.filter(p -> p.toString().endsWith(".py")).toList()) {
                Files.copy(test, dir.resolve("tests").resolve(test.getFileName()));
            }
        }
    }
}
