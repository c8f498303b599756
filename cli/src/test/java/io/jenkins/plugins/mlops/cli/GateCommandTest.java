package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.TestEnvironment;
import io.jenkins.plugins.mlops.registry.LocalRegistry;
import io.jenkins.plugins.mlops.registry.ModelSource;
import io.jenkins.plugins.mlops.registry.Registration;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mlops gate} end to end: exit codes, report files, JSON output, bad input. */
class GateCommandTest {
    @TempDir
    Path dir;

    private Path baseline;
    private Path better;
    private Path worse;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void writeHoldOut() throws IOException {
        Random random = new Random(3);
        List<String> base = new ArrayList<>(List.of("id,y,pred"));
        List<String> good = new ArrayList<>(List.of("id,y,pred"));
        List<String> bad = new ArrayList<>(List.of("id,y,pred"));
        for (int i = 0; i < 500; i++) {
            double y = random.nextGaussian() * 5 + 20;
            base.add(String.format(Locale.ROOT, "%d,%.5f,%.5f", i, y, y + random.nextGaussian()));
            good.add(String.format(Locale.ROOT, "%d,%.5f,%.5f", i, y, y + random.nextGaussian() * 0.7));
            bad.add(String.format(Locale.ROOT, "%d,%.5f,%.5f", i, y, y + random.nextGaussian() * 1.5));
        }
        baseline = Files.write(dir.resolve("baseline.csv"), base);
        better = Files.write(dir.resolve("better.csv"), good);
        worse = Files.write(dir.resolve("worse.csv"), bad);
    }

    @Test
    void scoresAloneGateRealModelsAsScikitLearnMeasuresThem() throws Exception {
        Path script = dir.resolve("breast_cancer_scores.py");
        try (var in = GateCommandTest.class.getResourceAsStream("breast_cancer_scores.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process python = new ProcessBuilder(TestEnvironment.python("sklearn").toString(), script.toString(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JsonNode sklearn = Json.mapper().readTree(python.getInputStream().readAllBytes());
        assertThat(python.waitFor()).isZero();

        int code = gate("--baseline", dir.resolve("baseline.csv"), "--candidate", dir.resolve("candidate.csv"),
                "--id", "id", "--label", "label", "--score", "score", "--metric", "roc_auc,accuracy,f1", "--json");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.PASSED);
        JsonNode result = Json.mapper().readTree(out.toString());
        for (JsonNode metric : result.get("metrics")) {
            String name = metric.get("name").asText();
            assertThat(metric.get("candidate").asDouble()).as(name)
                    .isCloseTo(sklearn.get("candidate").get(name).asDouble(), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(metric.get("baseline").asDouble()).as(name)
                    .isCloseTo(sklearn.get("baseline").get(name).asDouble(), org.assertj.core.data.Offset.offset(1e-12));
            assertThat(metric.get("ci_low").isNull()).as(name).isFalse();
        }
        assertThat(result.get("primary_metric").asText()).isEqualTo("roc_auc");
    }

    @Test
    void aBetterCandidatePassesWithExit0AndWritesTheReports() throws IOException {
        Path reports = dir.resolve("reports");
        int code = gate("--baseline", baseline, "--candidate", better, "--label", "y", "--prediction", "pred",
                "--id", "id", "--metric", "rmse,mae", "--resamples", "200", "--report", reports);

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.PASSED);
        assertThat(out.toString()).contains("gateModel PASS", "candidate passes");
        assertThat(reports.resolve("gate.json")).exists();
        assertThat(reports.resolve("gate-junit.xml")).content().contains("testsuite name=\"mlops.gateModel\"", "not_worse");
        assertThat(reports.resolve("gate.html")).content().contains("<svg", "Differences", "rmse");
        JsonNode json = Json.mapper().readTree(reports.resolve("gate.json").toFile());
        assertThat(json.get("schema").asText()).isEqualTo("mlops.gate/v1");
        assertThat(json.get("decision").asText()).isEqualTo("PASS");
        assertThat(json.get("metrics").get(0).get("name").asText()).isEqualTo("rmse");
        assertThat(json.get("metrics").get(0).get("candidate").isNumber()).isTrue();
        assertThat(json.get("metrics").get(0).get("ci_low").isNumber()).isTrue();
        assertThat(json.get("rules").get(0).get("verdict").asText()).isEqualTo("PASS");
        assertThat(json.get("baseline_source").get("kind").asText()).isEqualTo("predictions");
        assertThat(err.toString()).contains("gate: bootstrap 200/200 resamples");
    }

    @Test
    void aWorseCandidateFailsWithExit1AndTheReportSaysWhy() throws IOException {
        Path reports = dir.resolve("reports");
        int code = gate("--baseline", baseline, "--candidate", worse, "--label", "y", "--prediction", "pred",
                "--resamples", "100", "--report", reports, "--quiet");

        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).isEmpty();
        JsonNode json = Json.mapper().readTree(reports.resolve("gate.json").toFile());
        assertThat(json.get("decision").asText()).isEqualTo("FAIL");
        assertThat(json.get("summary").asText()).contains("not_worse on rmse fails");
        assertThat(reports.resolve("gate-junit.xml")).content().contains("<failure");
    }

    @Test
    void aPolicyFileDecidesAndJsonGoesToStdout() throws IOException {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "metrics:\n  rmse: {max_regression: 5.0}\n");
        int code = gate("--baseline", baseline, "--candidate", worse, "--label", "y", "--prediction", "pred",
                "--policy", policy, "--resamples", "100", "--json");

        assertThat(code).isEqualTo(ExitCodes.PASSED);
        JsonNode json = Json.mapper().readTree(out.toString());
        assertThat(json.get("rules").get(0).get("rule").asText()).isEqualTo("max_regression");
        assertThat(err.toString()).doesNotContain("bootstrap");
    }

    @Test
    void recordedBaselineMetricsGiveAPointComparisonThatSaysSo() throws IOException {
        Path recorded = Files.writeString(dir.resolve("champion.json"), "{\"root_mean_squared_error\": 0.2}");
        int code = gate("--baseline-metrics", recorded, "--candidate", better, "--label", "y", "--prediction", "pred",
                "--metric", "rmse", "--json");

        assertThat(code).as("rmse ~0.7 is worse than the recorded 0.2").isEqualTo(ExitCodes.FAILED);
        JsonNode json = Json.mapper().readTree(out.toString());
        assertThat(json.get("baseline_source").get("paired").asBoolean()).isFalse();
        assertThat(json.get("baseline_source").get("note").asText()).contains("weaker");
        assertThat(json.get("metrics").get(0).get("baseline").asDouble()).isEqualTo(0.2);
        assertThat(json.get("metrics").get(0).get("ci_low").isNull()).isTrue();
    }

    @Test
    void theBaselineCanBeTheChampionsMetricsInTheRegistry() throws IOException {
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("MLmodel"), "flavors: {}\n");
        Path registryDir = dir.resolve("registry");
        new LocalRegistry(registryDir, line -> { }).register(new Registration("churn", ModelSource.parse(model.toString()),
                null, List.of("champion"), Map.of("mlops.gate.rmse", "0.2"), Map.of(), null, null, null, "build-1"));

        int code = gate("--baseline-model", "churn@champion", "--registry", "file:" + registryDir, "--candidate", better,
                "--label", "y", "--prediction", "pred", "--metric", "rmse", "--json");

        assertThat(code).as("rmse ~0.7 is worse than the champion's recorded 0.2").isEqualTo(ExitCodes.FAILED);
        JsonNode json = Json.mapper().readTree(out.toString());
        assertThat(json.get("baseline_source").get("description").asText()).contains("models:/churn@champion", "version 1");
        assertThat(json.get("metrics").get(0).get("baseline").asDouble()).isEqualTo(0.2);
        assertBadInput("no alias 'nope'", "--baseline-model", "churn@nope", "--registry", "file:" + registryDir,
                "--candidate", better, "--label", "y", "--prediction", "pred");
        assertBadInput("expected NAME@ALIAS", "--baseline-model", "churn", "--registry", "file:" + registryDir,
                "--candidate", better, "--label", "y", "--prediction", "pred");
    }

    @Test
    void badInputExits2WithAMessageAndWritesNoReport() throws IOException {
        Path reports = dir.resolve("reports");
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "metrics:\n  rmse: {treshold: 1}\n");
        assertBadInput("metrics.rmse.treshold", "--baseline", baseline, "--candidate", better, "--label", "y",
                "--prediction", "pred", "--policy", policy, "--report", reports);
        assertBadInput("not found", "--baseline", dir.resolve("missing.csv"), "--candidate", better, "--label", "y",
                "--prediction", "pred", "--report", reports);
        assertBadInput("exactly one of --baseline", "--candidate", better, "--label", "y", "--prediction", "pred");
        assertBadInput("unknown metric 'auc'", "--baseline", baseline, "--candidate", better, "--label", "y",
                "--prediction", "pred", "--metric", "auc");
        assertBadInput("--label is required", "--baseline", baseline, "--candidate", better, "--prediction", "pred");
        assertBadInput("resamples", "--baseline", baseline, "--candidate", better, "--label", "y", "--prediction", "pred",
                "--resamples", "5");
        assertThat(reports).doesNotExist();
    }

    @Test
    void aMissingColumnFailsClosedWithExit1AndAReport() throws IOException {
        Path reports = dir.resolve("reports");
        int code = gate("--baseline", baseline, "--candidate", better, "--label", "target", "--prediction", "pred",
                "--report", reports);
        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(out.toString()).contains("ERROR", "target");
        assertThat(reports.resolve("gate.json")).content().contains("\"decision\" : \"FAIL\"", "no label column 'target'");
    }

    @Test
    void optionsAcceptLowercaseTasksAndCommaSeparatedMetrics() throws IOException {
        int code = gate("--baseline", baseline, "--candidate", better, "--label", "y", "--prediction", "pred",
                "--task", "regression", "--metric", "mae, r2", "--resamples", "100", "--json");
        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.PASSED);
        JsonNode json = Json.mapper().readTree(out.toString());
        assertThat(json.get("task").asText()).isEqualTo("regression");
        assertThat(json.get("primary_metric").asText()).isEqualTo("mae");
        assertThat(json.get("metrics")).hasSize(2);
    }

    @Test
    void helpListsTheOptionsAndExitCodes() {
        assertThat(gate("--help")).isZero();
        assertThat(out.toString()).contains("--baseline-metrics", "--score", "--positive-class", "Default: 1000",
                "fails closed");
    }

    private void assertBadInput(String message, Object... args) {
        StringWriter before = new StringWriter();
        before.append(err.toString());
        int code = gate(args);
        assertThat(code).as(String.join(" ", List.of(args).stream().map(String::valueOf).toList())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString().substring(before.toString().length())).contains(message);
    }

    private int gate(Object... args) {
        CommandLine commandLine = MlopsCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("gate"));
        for (Object arg : args) {
            all.add(String.valueOf(arg));
        }
        return commandLine.execute(all.toArray(String[]::new));
    }
}
