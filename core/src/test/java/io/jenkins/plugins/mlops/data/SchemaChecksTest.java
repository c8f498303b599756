package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check type, passing and failing, through the whole step. */
class SchemaChecksTest {
    private static final String DATA = """
            customer_id,age,income,plan,score
            1,34,52000.5,basic,0.1
            2,17,61000,pro,0.2
            3,51,,plus,0.3
            3,28,48000,gold,0.4
            5,45,75000,basic,0.5
            """;

    @TempDir
    Path dir;

    private ValidationResult validate(String schemaYaml) {
        Path data = TestData.write(dir, "data.csv", DATA);
        Path schema = TestData.write(dir, "schema.yaml", schemaYaml);
        return new DataValidator(message -> { }).validate(
                new ValidationConfig(data.toString(), null, null, schema.toString(), EngineSettings.DEFAULT));
    }

    private static Check check(ValidationResult result, String name, String column) {
        return result.checks().stream().filter(c -> c.name().equals(name) && java.util.Objects.equals(c.column(), column))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + name + " on " + column + " in " + result.checks()));
    }

    @Test
    void satisfiedSchemaPasses() {
        ValidationResult result = validate("""
                strict: true
                row_count: {min: 5, max: 5}
                columns:
                  customer_id: {type: integer, id: true, nullable: false}
                  age: {type: integer, min: 0, max: 120}
                  income: {type: float, max_null_fraction: 0.2}
                  plan: {type: string, categories: [basic, plus, pro, gold]}
                  score: {type: float, unique: true}
                checks:
                  - name: no_negative_income
                    sql: SELECT * FROM data WHERE income < 0
                """);

        assertThat(result.checks()).allSatisfy(c -> assertThat(c.status()).as(c.qualifiedName()).isEqualTo(Status.PASS));
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.checks()).extracting(Check::name).contains("columns_present", "no_unexpected_columns", "row_count",
                "type", "null_fraction", "range", "categories", "unique", "sql:no_negative_income");
    }

    @Test
    void eachViolatedExpectationFailsItsOwnCheck() {
        ValidationResult result = validate("""
                strict: true
                row_count: {min: 10}
                columns:
                  customer_id: {type: integer, unique: true}
                  age: {type: integer, min: 18, max: 120}
                  income: {type: integer, nullable: false}
                  plan: {type: string, categories: [basic, plus, pro]}
                  tenure: {type: integer}
                checks:
                  - name: adults_only
                    sql: SELECT * FROM data WHERE age < 18;
                  - name: rich
                    sql: SELECT * FROM data WHERE income > 70000
                    severity: warn
                """);

        assertThat(result.status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "columns_present", null).status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "columns_present", null).observed()).contains("tenure");
        assertThat(check(result, "no_unexpected_columns", null).observed()).contains("score");
        assertThat(check(result, "row_count", null).status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "unique", "customer_id").observed()).isEqualTo("1 duplicate values");
        assertThat(check(result, "range", "age").status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "range", "age").observed()).contains("min 17").contains("1 rows outside");
        assertThat(check(result, "type", "income").status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "null_fraction", "income").observed()).startsWith("0.2 (1 of 5)");
        assertThat(check(result, "categories", "plan").status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "categories", "plan").observed()).contains("1 rows").contains("'gold'");
        assertThat(check(result, "sql:adults_only", null).status()).isEqualTo(Status.FAIL);
        assertThat(check(result, "sql:adults_only", null).observed()).isEqualTo("1 violating rows");
        assertThat(check(result, "sql:rich", null).status()).isEqualTo(Status.WARN);
        assertThat(result.summary()).contains("failed:").contains("age.range");
    }

    @Test
    void newCategoriesAreFoundWhetherCountedInTheProfileScanOrAggregatedInAScanOfTheirOwn() {
        // few: 3 values, read off the second scan's value counts; many: 667 values, over the category
        // cap, so aggregated in one more scan; flag: a boolean; level: an integer, aggregated in the first scan
        Path data = TestData.copy("SELECT CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN chr(65533) ELSE chr(128512) END AS few, "
                + "CASE WHEN i % 3 = 0 THEN 'a' ELSE 'n' || i END AS many, i % 2 = 0 AS flag, i % 4 AS level "
                + "FROM range(1000) t(i)", dir.resolve("cats.parquet"), "FORMAT parquet");
        Path schema = TestData.write(dir, "schema.yaml", """
                columns:
                  few: {categories: [a]}
                  many: {categories: [a]}
                  flag: {categories: ['true']}
                  level: {categories: ['0', '1', '2']}
                """);
        java.util.List<String> progress = new java.util.ArrayList<>();

        ValidationResult result = new DataValidator(progress::add).validate(
                new ValidationConfig(data.toString(), null, null, schema.toString(), EngineSettings.DEFAULT));

        // DuckDB orders text by code point: U+FFFD before U+1F600, unlike Java's String.compareTo
        assertThat(check(result, "categories", "few").observed()).isEqualTo("666 rows with new values: '\uFFFD', '\uD83D\uDE00'");
        assertThat(check(result, "categories", "many").observed()).isEqualTo("666 rows with new values: 'n1', 'n998'");
        assertThat(check(result, "categories", "flag").observed()).isEqualTo("500 rows with new values: 'false'");
        assertThat(check(result, "categories", "level").observed()).isEqualTo("250 rows with new values: '3'");
        assertThat(result.checks()).filteredOn(c -> c.name().equals("categories")).extracting(Check::status).containsOnly(Status.FAIL);
        assertThat(progress).filteredOn(line -> line.contains("again")).singleElement().asString()
                .contains("categories:many").doesNotContain("categories:few");
        assertThat(result.profile().column("many").orElseThrow().categories()).as("the profile keeps no categories over the cap").isNull();
    }

    @Test
    void anEmptyCategoryListAllowsNoValue() {
        ValidationResult result = validate("columns:\n  plan: {categories: []}\n  customer_id: {categories: []}\n");

        assertThat(check(result, "categories", "plan").observed()).isEqualTo("5 rows with new values: 'basic', 'pro'");
        assertThat(check(result, "categories", "customer_id").observed()).isEqualTo("5 rows with new values: '1', '5'");
    }

    @Test
    void customCheckThatDoesNotBindIsBadInputBeforeAnyScan() {
        assertThatThrownBy(() -> validate("""
                checks:
                  - name: typo
                    sql: SELECT * FROM data WHERE agee < 18
                """)).isInstanceOf(BadInputException.class).hasMessageContaining("schema.yaml")
                .hasMessageContaining("checks.typo").hasMessageContaining("agee");
    }

    @Test
    void configAndResultCrossToAJenkinsAgentBySerialization() throws Exception {
        ValidationResult result = validate("columns:\n  plan: {categories: [basic, pro]}\n");
        ValidationConfig config = new ValidationConfig("data.csv", null, "p.json", "s.yaml", EngineSettings.DEFAULT);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(config);
            out.writeObject(result);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(config);
            ValidationResult copy = (ValidationResult) in.readObject();
            assertThat(copy.checks()).isEqualTo(result.checks());
            assertThat(copy.profile()).isEqualTo(result.profile());
        }
    }

    @Test
    void rangeOnAStringColumnFails() {
        ValidationResult result = validate("columns:\n  plan: {min: 0}\n");
        assertThat(check(result, "range", "plan").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void withoutSchemaOrReferenceTheDataIsProfiledOnly() {
        Path data = TestData.write(dir, "data.csv", DATA);
        ValidationResult result = new DataValidator(message -> { })
                .validate(new ValidationConfig(data.toString(), null, null, null, null));
        assertThat(result.checks()).isEmpty();
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.schemaSource()).isEqualTo("none");
        assertThat(result.profile().columns()).hasSize(5);
    }
}
