package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

/**
 * {@code validate-data --engine arrow} gives DuckDB's verdicts: on every dataset pair of the suite
 * ({@link ProfilerDatasets}: the real tables, the churn variants, keys, Unicode categories, the wide
 * table with its schema), on the benchmark's own data (CSV and Parquet, its schema and an inferred
 * one) and on the churn example's batches, every check's status is the same and every drift
 * statistic and p-value agrees within {@link SparkVerdictsTest}'s tolerance (relative 1e-9: the
 * moments are sums in another order). The profiles themselves are equal field by field but for
 * those last bits and the distinct estimates of columns nothing counts one by one: another
 * HyperLogLog, which must be within {@link #DISTINCT_TOLERANCE} of the exact count (DuckDB's own
 * is not: 1,891 for the churn example's 1,543 signup dates, 18,240 for 20,000 keys).
 */
class ArrowVerdictsTest {
    /** A HyperLogLog of 2^12 registers is about 1.6% off (one standard error): 5% is three. */
    private static final double DISTINCT_TOLERANCE = 0.05;
    private static final double MOMENTS_TOLERANCE = 1e-9;

    @TempDir
    Path dir;

    @Test
    void everyCheckDriftStatisticAndProfileOnEveryDatasetIsDuckDbs() {
        EngineSettings arrow = EngineSettings.of(EngineSettings.DEFAULT.memoryLimit(), 0, EngineSettings.ARROW, null);
        List<String> differences = new ArrayList<>();
        int compared = 0;
        int columns = 0;
        for (DatasetPair pair : pairs().map(DatasetPair::of).toList()) {
            ValidationResult duckdb = validate(pair.validation(EngineSettings.DEFAULT));
            ValidationResult onArrow = validate(pair.validation(arrow));
            differences.addAll(SparkVerdictsTest.differences(pair.name(), duckdb, onArrow));
            compared += duckdb.checks().size();
            for (String path : List.of(pair.reference(), pair.current())) {
                Profile expected = DataProfiling.profile(path, EngineSettings.DEFAULT, line -> { });
                Profile actual = DataProfiling.profile(path, arrow, line -> { });
                differences.addAll(differences(pair.name() + " " + Path.of(path).getFileName(), path, expected, actual));
                columns += expected.columns().size();
            }
        }
        assertThat(compared).as("checks compared").isGreaterThan(500);
        assertThat(columns).as("column profiles compared").isGreaterThan(300);
        assertThat(differences).as("where the arrow engine differs from DuckDB's SQL").isEmpty();
    }

    private Stream<Arguments> pairs() {
        return Stream.of(ProfilerDatasets.pairs(dir.resolve("suite")), VerdictsUnchangedTest.benchPairs(dir.resolve("bench")), DatasetPair.churnExample())
                .flatMap(s -> s);
    }

    /** The arrow engine's validations profile the reference and the current data at once ({@link TogetherPasses}), the riskier way. */
    private static ValidationResult validate(ValidationConfig config) {
        return new DataValidator(line -> { }, true).validate(config);
    }

    static List<String> differences(String name, String path, Profile expected, Profile actual) {
        List<String> out = new ArrayList<>();
        if (expected.rowCount() != actual.rowCount() || expected.columns().size() != actual.columns().size()) {
            out.add(name + ": rows/columns " + expected.rowCount() + "/" + expected.columns().size() + " vs " + actual.rowCount() + "/"
                    + actual.columns().size());
            return out;
        }
        for (int i = 0; i < expected.columns().size(); i++) {
            ColumnProfile e = expected.columns().get(i);
            ColumnProfile a = actual.columns().get(i);
            String at = name + ": " + e.name() + " ";
            if (!Objects.equals(e.name(), a.name()) || e.type() != a.type() || !Objects.equals(e.engineType(), a.engineType())) {
                out.add(at + "column " + e.type() + " vs " + a.name() + " " + a.type());
                continue;
            }
            if (e.rows() != a.rows() || e.nulls() != a.nulls() || e.nan() != a.nan() || e.infinite() != a.infinite() || e.empty() != a.empty()) {
                out.add(at + "counts " + List.of(e.rows(), e.nulls(), e.nan(), e.infinite(), e.empty()) + " vs "
                        + List.of(a.rows(), a.nulls(), a.nan(), a.infinite(), a.empty()));
            }
            if (e.idLike() != a.idLike() || !Objects.equals(e.distinct(), a.distinct()) && !nearExact(path, e.name(), a.distinct())) {
                out.add(at + "distinct/key " + e.distinct() + "/" + e.idLike() + " vs " + a.distinct() + "/" + a.idLike());
            }
            if (!Objects.equals(e.histogram(), a.histogram()) || !Objects.equals(e.categories(), a.categories())) {
                out.add(at + "histogram/categories " + e.histogram() + " " + e.categories() + " vs " + a.histogram() + " " + a.categories());
            }
            if (!Objects.equals(e.minValue(), a.minValue()) || !Objects.equals(e.maxValue(), a.maxValue())) {
                out.add(at + "range " + e.minValue() + ".." + e.maxValue() + " vs " + a.minValue() + ".." + a.maxValue());
            }
            if (!close(e.numeric(), a.numeric()) || !close(e.quantiles(), a.quantiles())) {
                out.add(at + "moments " + e.numeric() + " " + e.quantiles() + " vs " + a.numeric() + " " + a.quantiles());
            }
        }
        return out;
    }

    /** Whether an estimate is within the tolerance of {@code count(DISTINCT column)}. */
    private static boolean nearExact(String path, String column, Long estimate) {
        if (estimate == null) {
            return false;
        }
        try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
            DataSource source = engine.prepare(DataSource.resolve(path));
            long exact = ((Number) engine.rows("SELECT count(DISTINCT " + io.jenkins.plugins.mlops.io.Sql.identifier(column) + ") FROM "
                    + source.relation(), source).get(0)[0]).longValue();
            return Math.abs(estimate - exact) <= DISTINCT_TOLERANCE * exact;
        }
    }

    private static boolean close(NumericStats e, NumericStats a) {
        if (e == null || a == null) {
            return e == a;
        }
        return e.count() == a.count() && close(e.min(), a.min()) && close(e.max(), a.max()) && close(e.mean(), a.mean()) && close(e.std(), a.std());
    }

    private static boolean close(Map<String, Double> e, Map<String, Double> a) {
        if (e == null || a == null) {
            return e == a;
        }
        return e.keySet().equals(a.keySet()) && e.keySet().stream().allMatch(key -> close(e.get(key), a.get(key)));
    }

    private static boolean close(double e, double a) {
        return Double.compare(e, a) == 0 || Math.abs(e - a) <= MOMENTS_TOLERANCE * Math.max(1, Math.max(Math.abs(e), Math.abs(a)));
    }
}
