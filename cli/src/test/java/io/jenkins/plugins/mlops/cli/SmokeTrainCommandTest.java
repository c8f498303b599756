package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.result.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mlops smoke-train} end to end: real Python scripts, exit codes, the files in --report. */
class SmokeTrainCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path data;

    @BeforeEach
    void trainingData() throws Exception {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 500; i++) {
            csv.append(i).append(',').append(i % 3).append('\n');
        }
        data = Files.writeString(dir.resolve("train.csv"), csv);
    }

    @Test
    void perturbedCopiesAreClassifiedInTheReportAndAFailureOnOneExits1() throws Exception {
        // A loader that trusts every field to be a number: fine on the data, broken by one gap.
        Path script = Files.writeString(dir.resolve("train.py"), """
                import sys
                rows = [line.split(",") for line in open(sys.argv[1]).read().splitlines()[1:]]
                print("mean x", sum(float(r[0]) for r in rows) / len(rows))
                """);
        Path report = dir.resolve("reports");

        int code = run("smoke-train", "--data", data.toString(), "--rows", "50", "--label", "y",
                "--perturb", "nan", "--perturb", "unseen-category", "--report", report.toString(),
                "--", python(), script.toString(), "{data}");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.FAILED);
        JsonNode json = Json.mapper().readTree(report.resolve("smoke.json").toFile());
        assertThat(json.get("failure").isNull()).as("the plain sample passed").isTrue();
        JsonNode nan = json.get("perturbations").get(0);
        assertThat(nan.get("name").asText()).isEqualTo("nan");
        assertThat(nan.get("failure").asText()).isEqualTo("CRASH");
        assertThat(nan.get("message").asText()).contains("could not convert string to float");
        assertThat(json.get("perturbations").get(1).get("message").asText())
                .isEqualTo("not run: the sample has no text column to hold a new category");
        assertThat(Files.readString(report.resolve("smoke-junit.xml"))).contains("name=\"handles_nan\"");
        assertThat(Files.readString(report.resolve("smoke.html"))).contains("Perturbed samples", "NOT RUN");
    }

    @Test
    void anUnknownPerturbationIsBadInputBeforeAnythingRuns() throws Exception {
        int code = run("smoke-train", "--data", data.toString(), "--perturb", "nan,nulls", "--", python(), "-c", "1");

        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("unknown perturbation 'nulls'; known: nan, unseen-category, empty-column")
                .doesNotContain("sampling");
    }

    @Test
    void aWorkingScriptExits0AndWritesTheReports() throws Exception {
        Path script = Files.writeString(dir.resolve("train.py"), """
                import sys, os
                rows = open(sys.argv[1]).read().splitlines()[1:]
                for e in range(int(sys.argv[2])):
                    print(f"epoch {e + 1} loss={1 / (e + 2):.3f}")
                open(os.path.join(sys.argv[3], "model.bin"), "w").write(str(len(rows)))
                """);
        Path report = dir.resolve("reports");

        int code = run("smoke-train", "--data", data.toString(), "--rows", "50", "--label", "y", "--timeout", "30s",
                "--expect-output", "{out}/model.bin", "--report", report.toString(),
                "--", python(), script.toString(), "{data}", "{epochs}", "{out}");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("smokeTrain PASS");
        assertThat(err.toString()).contains("epoch 2 loss=0.333");
        JsonNode json = Json.mapper().readTree(report.resolve("smoke.json").toFile());
        assertThat(json.get("schema").asText()).isEqualTo("mlops.smoke/v1");
        assertThat(json.get("status").asText()).isEqualTo("PASS");
        assertThat(json.get("failure").isNull()).isTrue();
        assertThat(json.get("exit_code").asInt()).isZero();
        assertThat(json.get("memory_limit_mechanism").asText()).isIn("CGROUP_V2", "CGROUP_V1", "RSS_WATCHDOG");
        assertThat(json.get("sample").get("rows").asInt()).isEqualTo(50);
        assertThat(json.has("peak_memory_bytes")).isTrue();
        assertThat(json.get("log_excerpt").toString()).contains("epoch 2 loss=0.333");
        assertThat(report.resolve("smoke-junit.xml")).content().contains("name=\"training_script\"");
        assertThat(report.resolve("smoke.html")).content().contains("Smoke training").doesNotContain("<script");
    }

    @Test
    void aShapeMismatchExits1WithTheFailureInTheReport() throws Exception {
        Path script = Files.writeString(dir.resolve("train.py"), """
                import numpy as np
                np.ones((8, 3)) @ np.ones((4, 2))
                """);
        Path report = dir.resolve("reports");

        int code = run("smoke-train", "--data", data.toString(), "--timeout", "30s", "--report", report.toString(),
                "--json", "--", python(), script.toString());

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        JsonNode printed = Json.mapper().readTree(out.toString());
        assertThat(printed.get("failure").asText()).isEqualTo("SHAPE_MISMATCH");
        assertThat(printed.get("log_excerpt").toString()).contains("mismatch in its core dimension");
        assertThat(report.resolve("smoke-junit.xml")).content().contains("<failure");
    }

    @Test
    void badInputExits2AndWritesNoReport() throws Exception {
        Path report = dir.resolve("reports");

        assertThat(run("smoke-train", "--data", dir.resolve("missing.csv").toString(), "--report", report.toString(),
                "--", "python", "train.py")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("missing.csv");
        assertThat(run("smoke-train", "--data", data.toString(), "--memory", "lots", "--", "python"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("--memory");
        assertThat(run("smoke-train", "--data", data.toString(), "--timeout", "soon", "--", "python"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("smoke-train", "--data", data.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("smoke-train", "--data", data.toString(), "--label", "nope", "--", python(), "-c", "pass"))
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("'nope' not found");
        assertThat(report).doesNotExist();
    }

    private int run(String... args) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    static String python() {
        return TestEnvironment.python().toString();
    }
}
