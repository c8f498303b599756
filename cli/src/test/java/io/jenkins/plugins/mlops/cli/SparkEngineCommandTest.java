package io.jenkins.plugins.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.mlops.data.SparkConnectServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate-data}, {@code profile} and {@code infer-schema} with {@code --engine spark} on a real
 * Spark Connect server (the pinned PySpark's, local[2]) give what DuckDB gives on the churn example.
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
