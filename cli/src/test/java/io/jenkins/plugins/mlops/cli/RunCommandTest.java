package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mlops run} on a copy of the churn example, for real: its Python trains and scores, the
 * gate compares, the local registry keeps the versions. The runs build on each other, as a
 * project's runs do: the first model is promoted on absolute floors, the retraining after drift
 * is gated against it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunCommandTest {
    @TempDir
    static Path dir;

    static ChurnProject project;

    @Test
    @Order(1)
    void firstRunGatesOnAbsoluteFloorsAndPromotesTheFirstModel() throws Exception {
        project = ChurnProject.copy(dir.resolve("churn"));
        project.batch(false);

        ChurnProject.Result run = project.run();

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.PASSED);
        Path runDir = run.report().getParent();
        assertThat(run.report()).isRegularFile();
        for (String step : new String[] {"validation", "smoke", "train", "gate", "register"}) {
            assertThat(runDir.resolve(step + ".json")).isRegularFile();
            assertThat(runDir.resolve(step + ".html")).isRegularFile();
            assertThat(runDir.resolve(step + "-junit.xml")).isRegularFile();
        }
        JsonNode gate = json(runDir.resolve("gate.json"));
        assertThat(gate.path("decision").asText()).isEqualTo("PASS");
        assertThat(gate.path("baseline_source").path("description").asText()).contains("first-baseline.csv");
        JsonNode pipeline = json(runDir.resolve("pipeline.json"));
        assertThat(pipeline.path("champion").path("version").asInt()).isEqualTo(1);
        assertThat(pipeline.path("champion").path("promoted").asBoolean()).isTrue();
        // No champion yet: nothing to mirror or roll out against.
        assertThat(pipeline.path("stages").get(5).path("status").isNull()).isTrue();
        assertThat(runDir.resolve("shadow.json")).doesNotExist();
        assertThat(run.err()).contains("[1/7] validate", "[5/7] register", "no churn@champion yet", "churn@champion -> version 1");
    }

    @Test
    @Order(2)
    void retrainingAfterDriftIsGatedAgainstTheChampionOnTheSameRows() throws Exception {
        project.batch(true);

        ChurnProject.Result run = project.run();

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.PASSED);
        Path runDir = run.report().getParent();
        JsonNode pipeline = json(runDir.resolve("pipeline.json"));
        assertThat(pipeline.path("drift_detected").asBoolean()).isTrue();
        assertThat(pipeline.path("stages").get(0).path("status").asText()).isEqualTo("WARN");
        assertThat(pipeline.path("stages").get(0).path("summary").asText()).contains("monthly_charges", "payment_method");
        JsonNode gate = json(runDir.resolve("gate.json"));
        assertThat(gate.path("baseline_source").path("kind").asText()).isEqualTo("predictions");
        assertThat(gate.path("baseline_source").path("description").asText()).contains("champion.csv");
        assertThat(gate.path("rows").asInt()).isEqualTo(5000);
        // Concept drift: the retrained model is significantly better than the champion on the same rows.
        assertThat(metric(gate, "roc_auc").path("ci_low").asDouble()).isPositive();
        assertThat(rule(gate, "no_significant_regression", "roc_auc").path("verdict").asText()).isEqualTo("PASS");
        // Both models served by MLflow's scoring server behind the router: mirrored, then rolled out.
        JsonNode shadow = json(runDir.resolve("shadow.json"));
        assertThat(shadow.path("status").asText()).isEqualTo("PASS");
        assertThat(shadow.path("requests").asInt()).isEqualTo(200);
        // Every request's copy went out (the queue holds 1024) and the stage waited for each: compared unless
        // the shadow failed it, a count the run reports, however slow a busy machine made the shadow.
        JsonNode mirror = shadow.path("mirror");
        assertThat(mirror.path("sent").asInt()).as("%s", mirror).isEqualTo(200);
        assertThat(mirror.path("dropped").asInt()).as("%s", mirror).isZero();
        assertThat(shadow.path("compared").asInt()).as("%s", mirror).isEqualTo(200 - mirror.path("failed").asInt());
        JsonNode canary = json(runDir.resolve("canary.json"));
        assertThat(canary.path("outcome").asText()).isEqualTo("promoted");
        assertThat(canary.path("final_weight").asInt()).isEqualTo(100);
        assertThat(pipeline.path("champion").path("version").asInt()).isEqualTo(2);
        // The chart pairs both models on this run's rows; the summary says how they compare in a sentence.
        JsonNode comparison = pipeline.path("comparison");
        assertThat(comparison.path("champion_version").asInt()).isEqualTo(1);
        assertThat(comparison.path("candidate_version").asInt()).isEqualTo(2);
        assertThat(comparison.path("promoted").asBoolean()).isTrue();
        assertThat(comparison.path("ci_low").asDouble()).isPositive();
        assertThat(pipeline.path("summary").asText()).contains("on the same 5,000 hold-out rows", "significantly better");
        String report = Files.readString(run.report());
        assertThat(report).contains("Champion and candidate across runs", "→ v1", "v1 → v2", "history-handover")
                .doesNotContain("<script");
    }

    @Test
    @Order(3)
    void aTrainingChangeThatLosesTheStrongestFeatureIsBlockedAndTheChampionStays() throws Exception {
        // What `mlops demo --regression` runs: a pull request's change to the training, same batch.
        String train = "command: [.venv/bin/python, train.py, --data, data/train.csv, --out, \"{run}/train\"]";
        project.replace("mlops.yaml", train, train.replace("--out", "--drop-feature, contract, --out"));

        ChurnProject.Result run = project.run();

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.FAILED);
        Path runDir = run.report().getParent();
        JsonNode gate = json(runDir.resolve("gate.json"));
        assertThat(gate.path("decision").asText()).isEqualTo("FAIL");
        JsonNode rocAuc = metric(gate, "roc_auc");
        assertThat(rocAuc.path("ci_high").asDouble()).as("the whole interval below the champion").isNegative();
        assertThat(rule(gate, "no_significant_regression", "roc_auc").path("verdict").asText()).isEqualTo("FAIL");
        assertThat(runDir.resolve("register.json")).doesNotExist();
        JsonNode pipeline = json(runDir.resolve("pipeline.json"));
        assertThat(pipeline.path("summary").asText()).startsWith("Stopped at gate").contains("significantly worse");
        assertThat(pipeline.path("stages").get(4).path("summary").asText()).startsWith("not run");
        assertThat(pipeline.path("registered_version").isNull()).isTrue();
        // The champion stays where the last good run put it.
        ChurnProject.Result models = ChurnProject.mlops("models", "get", "--registry", "file:" + project.dir.resolve(".mlops/registry"),
                "--name", "churn", "--alias", "champion");
        assertThat(models.out()).as("%s", models).contains("\"version\" : 2");
        // Why, row by row: each rule with what was observed and the limit, on the report page itself.
        String report = Files.readString(run.report());
        assertThat(report).contains("Not run: an earlier stage failed.", "<h2>Rules</h2>", "no_significant_regression",
                "significantly worse", "v2 kept");
        JsonNode comparison = pipeline.path("comparison");
        assertThat(comparison.path("champion_version").asInt()).isEqualTo(2);
        assertThat(comparison.path("promoted").asBoolean()).isFalse();
        assertThat(comparison.path("candidate").asDouble()).isLessThan(comparison.path("champion").asDouble());
        assertThat(runDir.resolve("shadow.json")).doesNotExist();
        project.replace("mlops.yaml", train.replace("--out", "--drop-feature, contract, --out"), train);
    }

    @Test
    void unknownKeyIsBadInputNamingTheLine(@TempDir Path other) throws IOException {
        Path file = other.resolve("mlops.yaml");
        Files.writeString(file, "name: churn\nvalidate:\n  data: d.csv\n  fail_on: warn\n");
        ChurnProject.Result run = ChurnProject.mlops("run", file.toString());

        assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("mlops.yaml line 4", "validate", "unknown key 'fail_on'", "fail-on");
        assertThat(other.resolve(".mlops")).doesNotExist();
    }

    @Test
    void aCanaryMetricWithASecondStatementIsBadInputBeforeTheRouterStarts(@TempDir Path other) throws IOException {
        Files.writeString(other.resolve("d.csv"), "x,y\n1,2\n3,4\n");
        Files.writeString(other.resolve("mlops.yaml"), String.join("\n", "name: churn", "validate:", "  data: d.csv",
                "canary:", "  stable: http://127.0.0.1:9", "  candidate: http://127.0.0.1:9", "  log: jdbc:sqlite:" + other.resolve("log.db"),
                "  metric:", "    - \"m=SELECT 1) AS x; DELETE FROM mlops_feedback; SELECT * FROM (SELECT 1\"", ""));
        ChurnProject.Result run = ChurnProject.mlops("run", other.resolve("mlops.yaml").toString());

        assertThat(run.code()).as("%s", run).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out() + run.err()).contains("--metric m: SQLite reads only the first statement").doesNotContain("router on");
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.mapper().readTree(file.toFile());
    }

    private static JsonNode metric(JsonNode gate, String name) {
        for (JsonNode metric : gate.path("metrics")) {
            if (metric.path("name").asText().equals(name)) {
                return metric;
            }
        }
        throw new AssertionError("no metric " + name + " in " + gate.path("metrics"));
    }

    private static JsonNode rule(JsonNode gate, String rule, String metric) {
        for (JsonNode verdict : gate.path("rules")) {
            if (verdict.path("rule").asText().equals(rule) && verdict.path("metric").asText().equals(metric)
                    && verdict.path("slice").isNull()) {
                return verdict;
            }
        }
        throw new AssertionError("no rule " + rule + " on " + metric + " in " + gate.path("rules"));
    }
}
