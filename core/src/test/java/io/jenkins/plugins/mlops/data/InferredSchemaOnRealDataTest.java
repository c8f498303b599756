package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's main job, {@code validate-data --data B --reference A} with the schema inferred
 * from A, on real tables: two random halves of one table come from one population, so they pass;
 * contamination, emptied columns and real shifts fail on the columns they touch.
 */
class InferredSchemaOnRealDataTest {
    private static final int SEEDS = 20;

    @TempDir
    static Path tables;
    private static final Map<String, Path> HALVES = new ConcurrentHashMap<>();

    @TempDir
    Path dir;

    /** Written once per table: importing the Python packages costs more than validating. */
    private static Path halves(String table) {
        return HALVES.computeIfAbsent(table, name -> RealTables.halves(name, tables.resolve(name), SEEDS));
    }

    private static Path carsInThreeFormats() {
        return HALVES.computeIfAbsent("cars formats", name -> RealTables.formats("cars", tables.resolve("cars-formats")));
    }

    static ValidationResult validate(Path data, Path reference) {
        return new DataValidator(message -> { }).validate(
                new ValidationConfig(data.toString(), reference.toString(), null, null, EngineSettings.DEFAULT));
    }

    static boolean passes(ValidationResult result) {
        return !result.status().isAtLeast(Status.FAIL);
    }

    static List<String> failed(ValidationResult result) {
        return result.checks().stream().filter(c -> c.status().isAtLeast(Status.FAIL)).map(Check::qualifiedName).toList();
    }

    private static Check check(ValidationResult result, String name, String column) {
        return result.checks().stream().filter(c -> c.name().equals(name) && Objects.equals(c.column(), column)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + column + "." + name + " in " + result.checks()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"breast_cancer", "macrodata", "penguins", "cars"})
    void randomHalvesOfOneTablePass(String table) {
        Path halves = halves(table);
        List<String> failures = new ArrayList<>();
        for (int seed = 0; seed < SEEDS; seed++) {
            ValidationResult result = validate(halves.resolve(seed + "/b.csv"), halves.resolve(seed + "/a.csv"));
            if (!passes(result)) {
                failures.add("seed " + seed + ": " + failed(result));
            }
        }
        assertThat(failures).as(table + " halves that fail").hasSizeLessThanOrEqualTo(1);
    }

    @Test
    void onePercentOfImpossibleValuesFails() {
        Path halves = halves("breast_cancer");
        // 3 of 285 rows (1%): a -999 sentinel in a radius, a unit slip (x1000) in an area.
        Path broken = TestData.copy("SELECT * EXCLUDE (n) REPLACE ("
                + "CASE WHEN n < 3 THEN -999 ELSE \"mean radius\" END AS \"mean radius\", "
                + "CASE WHEN n >= 3 AND n < 6 THEN \"mean area\" * 1000 ELSE \"mean area\" END AS \"mean area\") "
                + "FROM (SELECT *, row_number() OVER () - 1 AS n FROM read_csv('" + halves.resolve("0/b.csv") + "'))",
                dir.resolve("b.csv"), "HEADER");

        ValidationResult result = validate(broken, halves.resolve("0/a.csv"));

        assertThat(failed(result)).as(result.summary()).contains("mean radius.range", "mean area.range");
        assertThat(check(result, "range", "mean radius").message()).contains("values as low as -999 where the reference had no negative value");
        assertThat(check(result, "range", "mean area").message()).contains("values as far out as").contains("ten times the reference's largest");
        assertThat(failed(result)).allMatch(name -> name.startsWith("mean radius.") || name.startsWith("mean area."));
    }

    @Test
    void rowsOutsideTheRangeFailOnceSamplingCannotExplainThem() {
        Path halves = halves("breast_cancer");
        // 30 of 285 rows just above the reference's largest texture: too many for sampling, not gross.
        String b = halves.resolve("0/b.csv").toString();
        String a = halves.resolve("0/a.csv").toString();
        Path shifted = TestData.copy("SELECT * EXCLUDE (n) REPLACE (CASE WHEN n < 30 THEN (SELECT max(\"mean texture\") FROM read_csv('" + a
                + "')) * 1.05 ELSE \"mean texture\" END AS \"mean texture\") "
                + "FROM (SELECT *, row_number() OVER () - 1 AS n FROM read_csv('" + b + "'))", dir.resolve("b.csv"), "HEADER");

        ValidationResult result = validate(shifted, Path.of(a));

        Check range = check(result, "range", "mean texture");
        assertThat(range.status()).isEqualTo(Status.FAIL);
        assertThat(range.message()).contains("outside the reference's range").contains("a reference of 284 values");
        assertThat(range.expected()).contains("of 285 outside");
    }

    @Test
    void anEmptiedColumnFailsItsMissingValuesAndItsDrift() {
        Path halves = halves("penguins");
        Path emptied = TestData.copy("SELECT * REPLACE (CAST(NULL AS DOUBLE) AS body_mass_g) FROM read_csv('"
                + halves.resolve("0/b.csv") + "')", dir.resolve("b.csv"), "HEADER");

        ValidationResult result = validate(emptied, halves.resolve("0/a.csv"));

        assertThat(failed(result)).containsExactlyInAnyOrder("body_mass_g.null_fraction", "body_mass_g.drift");
        assertThat(check(result, "drift", "body_mass_g").message()).contains("every value is missing now");
    }

    @Test
    void aRealShiftFailsDriftOnTheShiftedColumns() {
        Path halves = halves("breast_cancer");
        // Only malignant tumours (target 0): larger, less regular cells.
        Path malignant = TestData.copy("SELECT * FROM read_csv('" + halves.resolve("0/b.csv") + "') WHERE target = 0",
                dir.resolve("malignant.csv"), "HEADER");

        ValidationResult result = validate(malignant, halves.resolve("0/a.csv"));

        List<String> drifted = result.drift().stream().filter(d -> d.status() == Status.FAIL).map(ColumnDrift::column).toList();
        assertThat(drifted).contains("target", "mean radius", "worst concave points").doesNotContain("mean fractal dimension");
    }

    @Test
    void nearUniqueNamesAreFreeTextNotCategories() {
        Path halves = halves("cars");

        ValidationResult result = validate(halves.resolve("0/b.csv"), halves.resolve("0/a.csv"));

        assertThat(result.checks()).filteredOn(c -> "Name".equals(c.column())).extracting(Check::name)
                .doesNotContain("categories", "drift");
        assertThat(result.drift()).filteredOn(d -> d.column().equals("Name")).singleElement()
                .satisfies(d -> assertThat(d.reason()).containsAnyOf("free text", "ID-like"));
        assertThat(check(result, "categories", "Origin").expected()).startsWith("Europe, Japan, USA");
        assertThat(result.drift().stream().filter(ColumnDrift::tested).map(ColumnDrift::column).collect(Collectors.toList()))
                .contains("Origin", "Horsepower");
    }

    @Test
    void oneDateColumnWrittenAsCsvParquetAndJsonLinesIsOneTemporalColumn() {
        Path formats = carsInThreeFormats();
        List<String> files = List.of("table.csv", "table.parquet", "table.jsonl");
        List<String> failures = new ArrayList<>();
        for (String reference : files) {
            for (String data : files) {
                ValidationResult result = validate(formats.resolve(data), formats.resolve(reference));
                ColumnProfile year = result.profile().column("Year").orElseThrow();
                assertThat(year.type().isTemporal()).as(data + " Year is " + year.type()).isTrue();
                assertThat(year.idLike()).isFalse();
                assertThat(check(result, "type", "Year").status()).as(reference + " -> " + data).isEqualTo(Status.PASS);
                if (!passes(result)) {
                    failures.add(reference + " -> " + data + ": " + failed(result));
                }
            }
        }
        assertThat(failures).isEmpty();
        // pandas: a date in CSV, a timestamp in Parquet and in JSON lines (ISO text, "1970-01-01T00:00:00.000")
        assertThat(validate(formats.resolve("table.jsonl"), formats.resolve("table.csv")).profile().column("Year").orElseThrow().type())
                .isEqualTo(ColumnType.TIMESTAMP);
    }

    @Test
    void aTimestampWithATimeOfDayIsNoDate() {
        Path data = TestData.write(dir, "events.jsonl", """
                {"at": "2024-03-01T00:00:00.000", "n": 1}
                {"at": "2024-03-01T13:45:10.250", "n": 2}
                {"at": null, "n": 3}
                """);
        Path schema = TestData.write(dir, "schema.yaml", "columns:\n  at: {type: date}\n");

        ValidationResult result = new DataValidator(message -> { }).validate(
                new ValidationConfig(data.toString(), null, null, schema.toString(), EngineSettings.DEFAULT));

        Check type = check(result, "type", "at");
        assertThat(type.status()).isEqualTo(Status.FAIL);
        assertThat(type.observed()).startsWith("timestamp").contains("1 values with a time of day");
    }

    @Test
    void aJsonLinesValueBeyondTheSampleThatIsNoTimestampIsBadInput() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < IsoTimestamps.SAMPLE_ROWS; i++) {
            lines.append("{\"at\": \"2024-03-01T00:00:00\"}\n");
        }
        lines.append("{\"at\": \"soon\"}\n");
        Path data = TestData.write(dir, "late.jsonl", lines.toString());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataProfiling.profile(data.toString(), EngineSettings.DEFAULT, m -> { }))
                .isInstanceOf(io.jenkins.plugins.mlops.io.BadInputException.class).hasMessageContaining("late.jsonl").hasMessageContaining("soon");
    }

    @Test
    void namesOfTheWholeCarsTableAreFreeText() {
        Path formats = carsInThreeFormats();

        ValidationResult result = validate(formats.resolve("table.csv"), formats.resolve("table.csv"));

        ColumnProfile name = result.profile().column("Name").orElseThrow();
        assertThat(name.idLike()).as("300 names in 406 rows repeat: no key").isFalse();
        assertThat(name.freeText()).isTrue();
        assertThat(result.drift()).filteredOn(d -> d.column().equals("Name")).singleElement()
                .satisfies(d -> assertThat(d.reason()).startsWith("free text"));
        assertThat(SchemaInference.infer(result.profile()).columns().get("Name").categories()).isNull();
    }
}
