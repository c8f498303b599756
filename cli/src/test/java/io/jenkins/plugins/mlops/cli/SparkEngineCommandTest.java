package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.mlops.TestProcesses;
import io.jenkins.plugins.mlops.data.SparkConnectServer;
import io.jenkins.plugins.mlops.data.SparkVerdictsTest;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.pipeline.RunDirectory;
import io.jenkins.plugins.mlops.result.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate-data}, {@code profile}, {@code infer-schema}, {@code drift} and {@code run} (the
 * validate stage) with the Spark engine on a real Spark Connect server (the pinned PySpark's,
 * local[2]) give what DuckDB gives on the churn example.
 */
class SparkEngineCommandTest {
    private static final Path CHURN = Path.of("..", "examples", "churn", "data").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void validateDataOnSparkHasDuckDbsExitCodeAndEveryCheckStatus() throws IOException {
        String[] common = {"validate-data", "--data", CHURN.resolve("drifted.csv").toString(), "--reference",
            CHURN.resolve("reference.csv").toString(), "--json"};
        InProcess duckdb = InProcess.mlops(common);
        InProcess spark = InProcess.mlops(withSpark(common));

        assertThat(duckdb.code()).as(duckdb.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(spark.code()).as(spark.err()).isEqualTo(duckdb.code());
        assertThat(statuses(spark.out())).hasSizeGreaterThan(30).isEqualTo(statuses(duckdb.out()));
    }

    @Test
    void profileAndInferSchemaOnSparkWriteDuckDbsRowsAndSchema() throws IOException {
        String data = CHURN.resolve("reference.csv").toString();
        Path sparkProfile = dir.resolve("spark.json");
        assertThat(InProcess.mlops(withSpark("profile", "--data", data, "--out", sparkProfile.toString())).code()).isZero();
        JsonNode profile = new ObjectMapper().readTree(sparkProfile.toFile());
        assertThat(profile.get("row_count").asLong()).isEqualTo(5000);
        assertThat(profile.get("columns")).hasSize(16);

        Path sparkSchema = dir.resolve("spark.yaml");
        Path duckdbSchema = dir.resolve("duckdb.yaml");
        assertThat(InProcess.mlops(withSpark("infer-schema", "--data", data, "--out", sparkSchema.toString())).code()).isZero();
        assertThat(InProcess.mlops("infer-schema", "--data", data, "--out", duckdbSchema.toString()).code()).isZero();
        assertThat(sparkSchema).hasSameTextualContentAs(duckdbSchema);
    }

    /** The Continuous Training trigger's command: the same exit code and drifted columns as on DuckDB. */
    @Test
    void driftOnSparkNamesDuckDbsColumns() throws IOException {
        Path profile = dir.resolve("reference-profile.json");
        assertThat(InProcess.mlops("profile", "--data", CHURN.resolve("reference.csv").toString(), "--out", profile.toString())
                .code()).isZero();
        for (String batch : List.of("current.csv", "drifted.csv")) {
            String[] drift = {"drift", "--reference-profile", profile.toString(), "--data", CHURN.resolve(batch).toString(), "--json"};
            InProcess duckdb = InProcess.mlops(drift);
            InProcess spark = InProcess.mlops(withSpark(drift));
            assertThat(spark.code()).as(batch + ": " + spark.err()).isEqualTo(duckdb.code())
                    .isEqualTo(batch.equals("drifted.csv") ? ExitCodes.FAILED : ExitCodes.PASSED);
            JsonNode onSpark = new ObjectMapper().readTree(spark.out());
            assertThat(onSpark.get("drifted_columns")).as(batch).isEqualTo(new ObjectMapper().readTree(duckdb.out()).get("drifted_columns"));
            assertThat(statuses(spark.out())).as(batch).isEqualTo(statuses(duckdb.out()));
        }
        InProcess unreachable = InProcess.mlops("drift", "--reference-profile", profile.toString(), "--data",
                CHURN.resolve("drifted.csv").toString(), "--engine", "spark", "--spark-remote", "sc://127.0.0.1:" + TestProcesses.freePort());
        assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(ExitCodes.INFRASTRUCTURE);
        assertThat(unreachable.err()).contains("cannot reach the Spark Connect server");
    }

    /**
     * {@code mlops run} with the validate stage's {@code engine: spark}: the run's verdict, its stage's
     * status and summary, and its validation report are the DuckDB run's on the same project.
     */
    @Test
    void aPipelineWhoseValidateStageRunsOnSparkHasTheDuckDbRunsVerdictAndReport() throws IOException {
        ValidationResult duckdb = null;
        JsonNode duckdbStage = null;
        for (String engine : List.of("", "  engine: spark\n  spark-remote: " + SparkConnectServer.shared().remote() + "\n")) {
            Path project = Files.createDirectories(dir.resolve(engine.isEmpty() ? "duckdb" : "spark"));
            Files.createDirectories(project.resolve("data"));
            for (String table : List.of("reference.csv", "drifted.csv")) {
                Files.copy(CHURN.resolve(table), project.resolve("data").resolve(table));
            }
            Files.writeString(project.resolve("mlops.yaml"), "name: churn\nvalidate:\n  data: data/drifted.csv\n"
                    + "  reference: data/reference.csv\n" + engine);
            InProcess run = InProcess.mlops("run", project.resolve("mlops.yaml").toString());
            assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.FAILED);
            try (Stream<Path> runs = Files.list(project.resolve(RunDirectory.RUNS))) {
                Path runDir = runs.findFirst().orElseThrow();
                JsonNode stage = Json.mapper().readTree(runDir.resolve("pipeline.json").toFile()).get("stages").get(0);
                ValidationResult validation = Json.mapper().readValue(runDir.resolve("validation.json").toFile(), ValidationResult.class);
                assertThat(stage.get("status").asText()).isEqualTo("FAIL");
                assertThat(validation.checks()).hasSizeGreaterThan(30);
                // Which engine profiled: a CSV's small integers are DuckDB's BIGINT and Spark's INTEGER.
                assertThat(validation.profile().column("age").orElseThrow().engineType())
                        .isEqualTo(engine.isEmpty() ? "BIGINT" : "INTEGER");
                if (duckdb == null) {
                    duckdb = validation;
                    duckdbStage = stage;
                    continue;
                }
                assertThat(SparkVerdictsTest.differences("mlops run", duckdb, validation)).isEmpty();
                assertThat(stage.get("summary").asText()).isEqualTo(duckdbStage.get("summary").asText());
            }
        }
    }

    @Test
    void aTableForAnEngineThatReadsFilesIsExitTwo() {
        InProcess duckdb = InProcess.mlops("validate-data", "--data", "table:lake.churn");
        assertThat(duckdb.code()).as(duckdb.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(duckdb.err()).contains("table:lake.churn: a table is read where it lives, by --engine spark");
    }

    private static String[] withSpark(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--engine", "spark", "--spark-remote", SparkConnectServer.shared().remote()));
        return all.toArray(String[]::new);
    }

    /** Each check's qualified name and status, in order. */
    private static List<String> statuses(String json) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode check : new ObjectMapper().readTree(json).get("checks")) {
            out.add(check.get("column") + "." + check.get("name") + " " + check.get("status").asText());
        }
        return out;
    }
}
