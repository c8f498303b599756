package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift at the sizes where effect sizes matter: same-distribution samples of 300,000 rows are
 * not flagged (every test is significant at that n), a real shift is, and small samples are not
 * flagged by noise.
 */
class DriftTest {
    private static final int LARGE = 300_000;

    @TempDir
    static Path dir;

    static Path reference;
    static Path sameDistribution;
    static Path shifted;

    @BeforeAll
    static void generate() {
        reference = TestData.churn(dir.resolve("reference.parquet"), LARGE, 0.11, 0, 0);
        sameDistribution = TestData.churn(dir.resolve("same.parquet"), LARGE, 0.42, 0, 0);
        // Income moves by 0.5 standard deviations, the "pro" plan gains 20 points of share.
        shifted = TestData.churn(dir.resolve("shifted.parquet"), LARGE, 0.73, 0.5, 0.2);
    }

    private static ValidationResult validate(Path data, String reference, String referenceProfile) {
        return new DataValidator(message -> { }).validate(
                new ValidationConfig(data.toString(), reference, referenceProfile, null, EngineSettings.DEFAULT));
    }

    private static Map<String, ColumnDrift> byColumn(ValidationResult result) {
        return result.drift().stream().collect(Collectors.toMap(ColumnDrift::column, Function.identity()));
    }

    @Test
    void sameDistributionAtLargeNIsNotFlagged() {
        ValidationResult result = validate(sameDistribution, reference.toString(), null);

        assertThat(result.status()).as(result.summary()).isEqualTo(Status.PASS);
        Map<String, ColumnDrift> drift = byColumn(result);
        assertThat(drift.get("income").value()).isLessThan(0.02);
        assertThat(drift.get("plan").value()).isLessThan(0.02);
        assertThat(result.checks()).filteredOn(c -> c.name().equals("drift")).hasSize(4);
    }

    @Test
    void realShiftIsFlaggedOnTheShiftedColumnsOnly() {
        ValidationResult result = validate(shifted, reference.toString(), null);

        Map<String, ColumnDrift> drift = byColumn(result);
        assertThat(drift.get("income").status()).isEqualTo(Status.FAIL);
        assertThat(drift.get("income").value()).isCloseTo(0.5, within(0.05));
        assertThat(drift.get("income").pValueAdjusted()).isLessThan(1e-6);
        assertThat(drift.get("plan").status()).isIn(Status.WARN, Status.FAIL);
        assertThat(drift.get("plan").statistic()).isEqualTo("jensen_shannon");
        assertThat(drift.get("plan").test()).isEqualTo("chi_square");
        assertThat(drift.get("age").status()).isEqualTo(Status.PASS);
        assertThat(drift.get("support_calls").status()).isEqualTo(Status.PASS);
        assertThat(result.status()).isEqualTo(Status.FAIL);
        Check incomeCheck = result.checks().stream().filter(c -> "income".equals(c.column()) && c.name().equals("drift"))
                .findFirst().orElseThrow();
        assertThat(incomeCheck.observed()).contains("wasserstein_normed").contains("p_adj").contains("n 300,000 / 300,000");
        assertThat(incomeCheck.expected()).contains("0.1").contains("0.2");
    }

    @Test
    void idColumnsAreNeitherDriftNorRangeTested() {
        // customer_id runs 0..299,999 in both; the current's ids could as well be all new.
        Path newCustomers = TestData.copy("SELECT customer_id + 1000000 AS customer_id, age, income, plan, support_calls FROM read_parquet('"
                + sameDistribution + "')", dir.resolve("new-ids.parquet"), "FORMAT parquet");

        ValidationResult result = validate(newCustomers, reference.toString(), null);

        ColumnDrift id = byColumn(result).get("customer_id");
        assertThat(id.tested()).isFalse();
        assertThat(id.reason()).contains("ID-like");
        assertThat(result.checks()).filteredOn(c -> "customer_id".equals(c.column()))
                .extracting(Check::name).doesNotContain("drift", "range");
        assertThat(result.status()).as(result.summary()).isEqualTo(Status.PASS);
    }

    @Test
    void driftAgainstASavedProfileEqualsDriftAgainstTheData() {
        Path profileFile = dir.resolve("reference-profile.json");
        ProfileFile.write(profileFile, DataProfiling.profile(reference.toString(), EngineSettings.DEFAULT, m -> { }));

        Map<String, ColumnDrift> fromProfile = byColumn(validate(shifted, null, profileFile.toString()));
        Map<String, ColumnDrift> fromData = byColumn(validate(shifted, reference.toString(), null));

        for (String column : new String[] {"age", "income", "plan", "support_calls"}) {
            assertThat(fromProfile.get(column).value()).as(column).isCloseTo(fromData.get(column).value(), within(1e-9));
            assertThat(fromProfile.get(column).status()).as(column).isEqualTo(fromData.get(column).status());
        }
    }

    @Test
    void categoricalColumnWhoseValuesExplodeIsFlagged() {
        Path exploded = TestData.copy("SELECT customer_id, age, income, 'plan-' || customer_id AS plan, support_calls FROM read_parquet('"
                + sameDistribution + "') WHERE customer_id < 5000", dir.resolve("exploded.parquet"), "FORMAT parquet");

        ColumnDrift plan = byColumn(validate(exploded, reference.toString(), null)).get("plan");

        assertThat(plan.tested()).isTrue();
        assertThat(plan.status()).isEqualTo(Status.FAIL);
        assertThat(plan.bins()).contains("(other)");
    }

    @Test
    void smallSamplesAreNotFlaggedByNoise() {
        Path small = TestData.churn(dir.resolve("small-a.csv"), 60, 0.21, 0, 0);
        Path other = TestData.churn(dir.resolve("small-b.csv"), 60, 0.37, 0, 0);

        ValidationResult result = validate(other, small.toString(), null);

        assertThat(result.drift()).filteredOn(ColumnDrift::tested)
                .allSatisfy(d -> assertThat(d.status()).as(d.column() + " " + d.value() + " p " + d.pValueAdjusted()).isEqualTo(Status.PASS));
    }

    @Test
    void aCurrentColumnWithoutAnyValueIsUntestableAndFails() {
        Path emptied = TestData.copy("SELECT customer_id, age, CAST(NULL AS DOUBLE) AS income, plan, support_calls FROM read_parquet('"
                + sameDistribution + "') WHERE customer_id < 5000", dir.resolve("no-income.parquet"), "FORMAT parquet");
        Path schema = TestData.write(dir, "types-only.yaml", "columns:\n  income: {type: float}\n");

        ValidationResult result = new DataValidator(message -> { }).validate(
                new ValidationConfig(emptied.toString(), reference.toString(), null, schema.toString(), EngineSettings.DEFAULT));

        ColumnDrift income = byColumn(result).get("income");
        assertThat(income.tested()).isFalse();
        assertThat(income.status()).isEqualTo(Status.FAIL);
        Check check = result.checks().stream().filter(c -> "income".equals(c.column()) && c.name().equals("drift")).findFirst().orElseThrow();
        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.message()).contains("every value is missing now").contains("300,000");
        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(result.summary()).contains("drift untestable in income");
    }

    @Test
    void aReferenceProfileWithoutAHistogramFailsClosed() throws Exception {
        Path profileFile = dir.resolve("no-histogram.json");
        ProfileFile.write(profileFile, DataProfiling.profile(reference.toString(), EngineSettings.DEFAULT, m -> { }));
        com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode)
                io.jenkins.plugins.mlops.result.Json.mapper().readTree(profileFile.toFile());
        for (com.fasterxml.jackson.databind.JsonNode column : json.get("columns")) {
            if (column.get("name").asText().equals("income")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) column).remove("histogram");
            }
        }
        java.nio.file.Files.writeString(profileFile, json.toString());

        ValidationResult result = validate(sameDistribution, null, profileFile.toString());

        ColumnDrift income = byColumn(result).get("income");
        assertThat(income.status()).isEqualTo(Status.FAIL);
        assertThat(income.reason()).contains("the reference profile has no histogram");
        assertThat(byColumn(result).get("age").status()).isEqualTo(Status.PASS);
        assertThat(result.status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aColumnEmptyInBothIsAWarningNotAPass() {
        Path a = TestData.write(dir, "empty-a.csv", "id,note,x\n1,,1.5\n2,,2.5\n3,,3.5\n");
        Path b = TestData.write(dir, "empty-b.csv", "id,note,x\n4,,1.5\n5,,2.5\n6,,3.0\n");

        ValidationResult result = validate(b, a.toString(), null);

        ColumnDrift note = byColumn(result).get("note");
        assertThat(note.status()).isEqualTo(Status.WARN);
        assertThat(note.reason()).contains("no values in either");
        assertThat(result.status()).as(result.summary()).isEqualTo(Status.WARN);
    }
}
