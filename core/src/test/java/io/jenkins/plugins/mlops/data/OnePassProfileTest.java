package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The current data profiled in one scan on the reference's grid gives the very profile, schema
 * values and verdicts that the two-scan profiler gives (which still profiles the reference), on
 * the test suite's datasets, the real tables and bench-like wide data, including what one scan
 * cannot count exactly (several new values, a range far outside the grid, a much narrower one),
 * where those columns fall back to a second scan and must still agree.
 */
class OnePassProfileTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void noteTheDirectory() {
        assertThat(dir).isNotNull();
    }

    static Stream<Arguments> pairs() {
        return ProfilerDatasets.pairs(dir);
    }

    record Outcome(Profile reference, Profiler.Scan scan, Map<String, Status> statuses, List<String> progress) {}

    private static Outcome profile(Path referencePath, Path currentPath, Path schemaPath, boolean onePass) {
        List<String> progress = new ArrayList<>();
        try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
            DataSource referenceData = DataSource.resolve(referencePath.toString());
            Profiler referenceProfiler = new Profiler(engine, progress::add);
            Profile reference = referenceProfiler.profile(referenceData);
            Schema schema = schemaPath != null ? SchemaFile.read(schemaPath) : SchemaInference.infer(reference);
            SchemaChecks checks = new SchemaChecks(schema);
            DataSource data = DataSource.resolve(currentPath.toString());
            Profiler profiler = new Profiler(engine, progress::add);
            Profiler.Scan scan = onePass ? profiler.profile(data, checks::plan, columns -> ReferenceGrid.of(reference, columns))
                    : profiler.profile(data, checks::plan);
            Map<String, Object> extras = checks.values(profiler, data, profiler.describe(data), scan);
            Map<String, Status> statuses = new LinkedHashMap<>();
            for (Check check : checks.evaluate(scan.profile(), extras)) {
                statuses.put(check.qualifiedName(), check.status());
            }
            for (ColumnDrift drift : new DriftDetector(schema.driftThresholds()).compare(reference, scan.profile(), schema)) {
                statuses.put("drift:" + drift.column(), drift.status());
            }
            return new Outcome(reference, scan, statuses, progress);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void oneScanOnTheReferenceGridGivesTheTwoScanProfileAndVerdicts(String name, Path reference, Path current, Path schema) {
        Outcome twoScans = profile(reference, current, schema, false);
        Outcome oneScan = profile(reference, current, schema, true);

        assertThat(oneScan.scan().profile()).isEqualTo(twoScans.scan().profile());
        assertThat(oneScan.scan().extras()).isEqualTo(twoScans.scan().extras());
        assertThat(oneScan.scan().valueCounts()).isEqualTo(twoScans.scan().valueCounts());
        assertThat(oneScan.statuses()).isNotEmpty().isEqualTo(twoScans.statuses());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void aReferenceProfiledOnTheGridOfASampleOfItsRowsGetsTheTwoScanProfile(String name, Path reference, Path current, Path schema) {
        for (Path path : List.of(reference, current)) {
            try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
                DataSource data = DataSource.resolve(path.toString());
                Profiler profiler = new Profiler(engine, line -> { });
                assertThat(profiler.profileOnSampleGrid(data)).isEqualTo(profiler.profile(data, columns -> Profiler.Extras.NONE).profile());
            }
        }
    }

    @Test
    void wideDataWithoutAReferenceIsProfiledInOneScanOnItsSamplesGrid() {
        Path data = TestData.copy(ProfilerDatasets.wide(150_000, 1.0, "['card', 'transfer', 'check']", ""), dir.resolve("sampled.csv"), "HEADER");
        List<String> progress = new ArrayList<>();
        try (ScanEngine engine = ScanEngine.open(EngineSettings.DEFAULT)) {
            new Profiler(engine, progress::add).profileOnSampleGrid(DataSource.resolve(data.toString()));
        }

        assertThat(progress).anyMatch(line -> line.contains("on a known grid"))
                .noneMatch(line -> line.contains("off the known grid") || line.contains("again"));
    }

    @Test
    void driftedWideDataWithOneNewValueIsProfiledInOneScan() {
        Path reference = TestData.copy(ProfilerDatasets.wide(120_000, 1.0, "['card', 'transfer', 'check']", ""), dir.resolve("one-ref.csv"), "HEADER");
        Path current = TestData.copy(ProfilerDatasets.wide(20_000, 1.18, "['card', 'transfer', 'check', 'wallet']", ""), dir.resolve("one-cur.csv"), "HEADER");

        Outcome outcome = profile(reference, current, TestData.write(dir, "one-schema.yaml", ProfilerDatasets.SCHEMA), true);

        assertThat(outcome.progress()).noneMatch(line -> line.contains("off the known grid"));
        assertThat(outcome.statuses()).containsEntry("payment.categories", Status.FAIL).containsEntry("drift:payment", Status.FAIL);
        assertThat(outcome.scan().valueCounts().get("payment")).containsEntry("wallet", 5_000L);
    }

    @Test
    void valuesTheOneScanCannotCountExactlyGoToASecondScanForThoseColumnsOnly() {
        Path reference = TestData.churn(dir.resolve("far-ref.parquet"), 5_000, 0.3, 0, 0);
        Path current = TestData.copy("SELECT customer_id, age, CASE WHEN customer_id = 3 THEN 1e15 ELSE income END AS income, "
                + "CASE customer_id % 3 WHEN 0 THEN 'gold' WHEN 1 THEN 'silver' ELSE plan END AS plan, support_calls "
                + "FROM read_parquet('" + reference + "')", dir.resolve("far-cur.parquet"), "FORMAT parquet");

        Outcome outcome = profile(reference, current, null, true);

        assertThat(outcome.progress()).anyMatch(line -> line.contains("2 of 4 columns off the known grid"));
        assertThat(outcome.scan().profile().column("income").orElseThrow().numeric().max()).isEqualTo(1e15);
        assertThat(outcome.scan().profile().column("plan").orElseThrow().categories().counts()).containsKeys("gold", "silver");
    }
}
