package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.result.Check;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * {@code validate-data --engine spark} gives DuckDB's verdicts: on every dataset pair of the suite
 * ({@link ProfilerDatasets}: the real tables, the churn variants, keys, Unicode categories, the wide
 * table with its schema) and on the churn example's batches, every check's status is the same, and
 * every drift statistic and p-value agrees within {@link #TOLERANCE}.
 */
public class SparkVerdictsTest {
    /**
     * The drift statistics are computed in Java from the profile's histograms and category counts,
     * which both engines count exactly on the same bins; they differ only where the bins' grid does,
     * which it does not when the ranges (exact min and max) agree. What can differ is the last bits
     * of the moments (Spark and DuckDB sum doubles in different orders): relative 1e-9 covers that.
     */
    private static final double TOLERANCE = 1e-9;

    @TempDir
    Path dir;

    @Test
    void everyCheckAndDriftStatisticOnEveryDatasetIsDuckDbs() throws IOException {
        EngineSettings spark = new EngineSettings(EngineSettings.DEFAULT.memoryLimit(), 0, SparkConnectServer.shared().remote());
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (DatasetPair pair : pairs().map(DatasetPair::of).toList()) {
            ValidationResult duckdb = validate(pair.validation(EngineSettings.DEFAULT));
            ValidationResult onSpark = validate(pair.validation(spark));
            differences.addAll(differences(pair.name(), duckdb, onSpark));
            compared += duckdb.checks().size();
        }
        assertThat(compared).as("checks compared").isGreaterThan(500);
        assertThat(differences).as("where Spark's verdicts differ from DuckDB's").isEmpty();
    }

    private Stream<Arguments> pairs() throws IOException {
        return Stream.concat(ProfilerDatasets.pairs(dir.resolve("suite")), DatasetPair.churnExample());
    }

    private static ValidationResult validate(ValidationConfig config) {
        return new DataValidator(line -> { }).validate(config);
    }

    /** What differs between two engines' validations of the same data, beyond {@link #TOLERANCE}; the plugin's and the pipeline's tests ask it too. */
    public static List<String> differences(String name, ValidationResult duckdb, ValidationResult spark) {
        List<String> out = new ArrayList<>();
        if (duckdb.rowCount() != spark.rowCount() || duckdb.status() != spark.status()) {
            out.add(name + ": rows/status " + duckdb.rowCount() + "/" + duckdb.status() + " vs " + spark.rowCount() + "/" + spark.status());
        }
        Map<String, Check> byName = new LinkedHashMap<>();
        spark.checks().forEach(check -> byName.put(check.qualifiedName(), check));
        for (Check check : duckdb.checks()) {
            Check other = byName.remove(check.qualifiedName());
            if (other == null || other.status() != check.status()) {
                out.add(name + ": " + check.qualifiedName() + " " + check.status() + " (" + check.observed() + ") vs "
                        + (other == null ? "missing" : other.status() + " (" + other.observed() + ")"));
            }
        }
        byName.keySet().forEach(extra -> out.add(name + ": " + extra + " only on Spark"));
        Map<String, ColumnDrift> drift = new LinkedHashMap<>();
        spark.drift().forEach(d -> drift.put(d.column(), d));
        for (ColumnDrift d : duckdb.drift()) {
            ColumnDrift other = drift.get(d.column());
            if (other == null || d.tested() != other.tested() || !close(d.value(), other.value()) || !close(d.pValue(), other.pValue())
                    || !Objects.equals(d.referenceCount(), other.referenceCount()) || !Objects.equals(d.currentCount(), other.currentCount())) {
                out.add(name + ": drift " + d.column() + " " + d.value() + " p " + d.pValue() + " vs "
                        + (other == null ? "missing" : other.value() + " p " + other.pValue()));
            }
        }
        return out;
    }

    private static boolean close(Double a, Double b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(b) || Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }
}
