package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ci stage of {@code mlops run} and {@code mlops ci}, for real: ruff, black, mypy and pytest
 * from the test venv check a small Python project, and a lint error or a failing unit test stops
 * the run before any data is looked at, with the tools' JUnit XML in the run's report set.
 */
class CiStageTest {
    private static final String PIPELINE = String.join("\n",
            "name: calc",
            "ci:",
            "  timeout: 5m",
            "  commands:",
            "    lint: [.venv/bin/ruff, check, --no-cache, --output-format, junit, --output-file, \"{junit}\", .]",
            "    format: [.venv/bin/black, --check, .]",
            "    types: [.venv/bin/mypy, --no-incremental, --junit-xml, \"{junit}\", calc.py]",
            "    tests: [.venv/bin/python, -m, pytest, -p, no:cacheprovider, --junitxml, \"{junit}\", tests]",
            "validate:",
            "  data: data.csv",
            "");
    private static final String CALC = "def mean(values: list[float]) -> float:\n    return sum(values) / len(values)\n";
    private static final String TEST = "from calc import mean\n\n\ndef test_mean() -> None:\n    assert mean([1.0, 3.0]) == 2.0\n";

    @TempDir
    Path dir;

    @BeforeEach
    void project() throws IOException {
        Path python = TestEnvironment.python("pytest", "black", "mypy", "ruff");
        Files.createSymbolicLink(dir.resolve(".venv"), python.getParent().getParent());
        Files.writeString(dir.resolve("mlops.yaml"), PIPELINE);
        Files.writeString(dir.resolve("pyproject.toml"),
                "[tool.ruff]\nextend-exclude = [\".venv\", \".mlops\"]\n[tool.pytest.ini_options]\npythonpath = [\".\"]\n");
        Files.writeString(dir.resolve("calc.py"), CALC);
        Files.createDirectories(dir.resolve("tests"));
        Files.writeString(dir.resolve("tests/test_calc.py"), TEST);
        Files.writeString(dir.resolve("data.csv"), "x,y\n1,2\n3,4\n");
    }

    @Test
    void cleanCodeRunsEveryCheckThenTheNextStage() throws IOException {
        ChurnProject.Result run = ChurnProject.mlops("run", dir.resolve("mlops.yaml").toString());

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.PASSED);
        Path runDir = run.report().getParent();
        JsonNode ci = json(runDir.resolve("ci.json"));
        assertThat(ci.path("status").asText()).isEqualTo("PASS");
        assertThat(ci.path("commands")).extracting(c -> c.path("name").asText())
                .containsExactly("lint", "format", "types", "tests");
        assertThat(ci.path("commands").get(3).path("tests").path("tests").asInt()).isEqualTo(1);
        assertThat(runDir.resolve("validation.json")).isRegularFile();
        assertThat(Files.readString(runDir.resolve("ci-tests-junit.xml"))).contains("test_mean");
        assertThat(run.err()).contains("[1/2] ci", "[2/2] validate");
    }

    @Test
    void aLintErrorStopsTheRunWithRuffsJunitInTheReport() throws IOException {
        Files.writeString(dir.resolve("calc.py"), "import os\n\n\n" + CALC);

        ChurnProject.Result run = ChurnProject.mlops("run", dir.resolve("mlops.yaml").toString());

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.FAILED);
        Path runDir = run.report().getParent();
        JsonNode pipeline = json(runDir.resolve("pipeline.json"));
        assertThat(pipeline.path("summary").asText()).startsWith("Stopped at ci: CI failed: lint exited with status 1");
        assertThat(pipeline.path("stages").get(1).path("summary").asText()).startsWith("not run");
        assertThat(runDir.resolve("validation.json")).doesNotExist();
        JsonNode lint = json(runDir.resolve("ci.json")).path("commands").get(0);
        assertThat(lint.path("status").asText()).isEqualTo("FAIL");
        assertThat(lint.path("junit_from_command").asBoolean()).isTrue();
        // ruff names the case by the file's absolute path; the report names it as the project does.
        assertThat(lint.path("tests").path("failed").get(0).path("test").asText()).isEqualTo("calc.org.ruff.F401");
        assertThat(Files.readString(runDir.resolve("ci-lint-junit.xml"))).contains("F401", "`os` imported but unused");
        // Every check ran, so one run shows every problem: the unit tests still passed.
        assertThat(json(runDir.resolve("ci.json")).path("commands").get(3).path("status").asText()).isEqualTo("PASS");
        assertThat(Files.readString(runDir.resolve("ci-junit.xml"))).contains("name=\"lint\"", "<failure");
        String report = Files.readString(run.report());
        assertThat(report).contains("CI checks", "org.ruff.F401", "`os` imported but unused",
                "href=\"ci-lint-junit.xml\"", "Not run: an earlier stage failed.");
    }

    @Test
    void aFailingUnitTestStopsTheRunWithPytestsJunitInTheReport() throws IOException {
        Files.writeString(dir.resolve("tests/test_calc.py"), TEST
                + "\n\ndef test_mean_of_nothing_is_nan() -> None:\n    assert mean([]) != mean([])\n");

        ChurnProject.Result run = ChurnProject.mlops("run", dir.resolve("mlops.yaml").toString());

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.FAILED);
        Path runDir = run.report().getParent();
        assertThat(runDir.resolve("validation.json")).doesNotExist();
        JsonNode tests = json(runDir.resolve("ci.json")).path("commands").get(3);
        assertThat(tests.path("status").asText()).isEqualTo("FAIL");
        assertThat(tests.path("tests").path("tests").asInt()).isEqualTo(2);
        assertThat(tests.path("tests").path("errors").asInt() + tests.path("tests").path("failures").asInt()).isEqualTo(1);
        assertThat(tests.path("tests").path("failed").get(0).path("test").asText())
                .isEqualTo("tests.test_calc.test_mean_of_nothing_is_nan");
        assertThat(Files.readString(runDir.resolve("ci-tests-junit.xml"))).contains("ZeroDivisionError");
        assertThat(Files.readString(run.report())).contains("tests.test_calc.test_mean_of_nothing_is_nan",
                "ZeroDivisionError");
        assertThat(json(runDir.resolve("ci.json")).path("commands").get(0).path("status").asText()).isEqualTo("PASS");
    }

    @Test
    void theCiCommandWritesEachChecksJunitBesideItsReport() throws IOException {
        Files.writeString(dir.resolve("calc.py"), "def mean(values):\n    return sum(values)/len(values)\n");
        Path reports = dir.resolve("reports");

        InProcess run = InProcess.mlops("ci", "--report", reports.toString(),
                "--command", "format=" + dir.resolve(".venv/bin/black") + " --check " + dir.resolve("calc.py"),
                "--command", "tests=" + dir.resolve(".venv/bin/python") + " -c 'print(1)'");

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.FAILED);
        assertThat(run.out()).contains("format", "FAIL");
        assertThat(Files.readString(reports.resolve("ci-format-junit.xml"))).contains("would reformat");
        assertThat(reports.resolve("ci-tests-junit.xml")).isRegularFile();
        assertThat(json(reports.resolve("ci.json")).path("checks").get(1).path("status").asText()).isEqualTo("PASS");
    }

    @Test
    void aProgramThatIsNotInstalledIsBadInput() {
        InProcess run = InProcess.mlops("ci", "--command", "lint=no-such-linter-anywhere .");

        assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("no-such-linter-anywhere");
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.mapper().readTree(file.toFile());
    }
}
