package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Parquet file may hold UUID columns (DuckDB writes its UUID type as Parquet's UUID logical type).
 * They are text to mlops: both engines profile them as strings, a key of UUIDs as a key and a few
 * UUIDs as categories, with the same verdicts. The duckdb engine once failed here: its blank-text
 * test compared a UUID with text.
 */
class UuidColumnTest {
    @TempDir
    Path dir;

    @Test
    void aUuidColumnIsTextOnBothEnginesWithTheSameVerdicts() {
        Path reference = uuids(dir.resolve("reference.parquet"), 0);
        Path current = uuids(dir.resolve("current.parquet"), 1);
        EngineSettings arrow = EngineSettings.of(EngineSettings.DEFAULT.memoryLimit(), 0, EngineSettings.ARROW, null);

        ValidationResult duckdb = validate(reference, current, EngineSettings.DEFAULT);
        ValidationResult onArrow = validate(reference, current, arrow);

        assertThat(SparkVerdictsTest.differences("uuid columns", duckdb, onArrow)).isEmpty();
        // The tenant moved to a new UUID: a new category, found by both.
        assertThat(duckdb.status()).isEqualTo(Status.FAIL);
        assertThat(duckdb.checks()).anyMatch(c -> c.column() != null && c.column().equals("tenant") && c.status() != Status.PASS);
        for (Path file : List.of(reference, current)) {
            Profile expected = DataProfiling.profile(file.toString(), EngineSettings.DEFAULT, line -> { });
            Profile actual = DataProfiling.profile(file.toString(), arrow, line -> { });
            assertThat(ArrowVerdictsTest.differences(file.getFileName().toString(), file.toString(), expected, actual)).isEmpty();
            ColumnProfile session = expected.column("session_id").orElseThrow();
            assertThat(session.type()).isEqualTo(ColumnType.STRING);
            assertThat(session.engineType()).isEqualTo("UUID");
            assertThat(session.idLike()).isTrue();
            ColumnProfile tenant = expected.column("tenant").orElseThrow();
            assertThat(tenant.type()).isEqualTo(ColumnType.STRING);
            assertThat(tenant.nulls()).isEqualTo(100);
            assertThat(tenant.categories().counts()).containsKey("00000000-0000-4000-8000-00000000000" + 1);
        }
    }

    /** 2,000 rows: a unique UUID key, a tenant among three UUIDs (the current file's third is new) with 100 nulls, a number. */
    private static Path uuids(Path file, int shift) {
        return TestData.copy("SELECT ('00000000-0000-4000-8000-' || lpad(CAST(i AS VARCHAR), 12, '0'))::UUID AS session_id,"
                + " CASE WHEN i % 20 = 0 THEN NULL ELSE ('00000000-0000-4000-8000-00000000000' || CAST(i % 3 + " + shift + " AS VARCHAR))::UUID END AS tenant,"
                + " CAST(i % 97 AS DOUBLE) AS amount FROM range(2000) t(i)", file, "FORMAT parquet");
    }

    private static ValidationResult validate(Path reference, Path current, EngineSettings engine) {
        return new DataValidator(line -> { }).validate(new ValidationConfig(current.toString(), reference.toString(), null, null, engine));
    }
}
