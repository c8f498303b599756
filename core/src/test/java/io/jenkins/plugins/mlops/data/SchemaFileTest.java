package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaFileTest {
    private static final String VALID = """
            strict: true
            row_count: {min: 10, max: 1000}
            columns:
              customer_id: {type: string, id: true, unique: true, nullable: false}
              age:
                type: integer
                min: 18
                max: 100
              plan: {type: string, categories: [basic, plus, pro], max_null_fraction: 0.05}
              signup: {type: date, drift: false}
            checks:
              - name: adults_only
                sql: SELECT * FROM data WHERE age < 18
              - name: few_vips
                sql: SELECT * FROM data WHERE plan = 'pro'
                max_rows: 100
                severity: warn
            drift:
              numeric: {warn: 0.05, fail: 0.3}
            """;

    @TempDir
    Path dir;

    private Schema parse(String yaml) {
        return SchemaFile.read(TestData.write(dir, "schema.yaml", yaml));
    }

    @Test
    void readsEveryKey() {
        Schema schema = parse(VALID);

        assertThat(schema.strictColumns()).isTrue();
        assertThat(schema.rowCount()).isEqualTo(new RowCountBounds(10L, 1000L));
        assertThat(schema.columns()).containsOnlyKeys("customer_id", "age", "plan", "signup");
        assertThat(schema.columns().get("age").min()).isEqualTo(18.0);
        assertThat(schema.columns().get("plan").categories()).containsExactly("basic", "plus", "pro");
        assertThat(schema.columns().get("customer_id").keyColumn()).isTrue();
        assertThat(schema.columns().get("signup").driftTested()).isFalse();
        assertThat(schema.checks()).extracting(SqlCheck::name).containsExactly("adults_only", "few_vips");
        assertThat(schema.checks().get(1).failureStatus()).hasToString("WARN");
        assertThat(schema.driftThresholds().numeric()).isEqualTo(new DriftThresholds.Level(0.05, 0.3));
        assertThat(schema.driftThresholds().categorical()).isEqualTo(DriftThresholds.DEFAULT.categorical());
    }

    @Test
    void unknownKeyNamesTheLineAndTheField() {
        assertThatThrownBy(() -> parse("columns:\n  age:\n    type: integer\n    minimum: 3\n"))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("schema.yaml line ").hasMessageContaining("columns.age.minimum")
                .hasMessageContaining("unknown key 'minimum'").hasMessageContaining("max_null_fraction");
    }

    @Test
    void wrongValueTypeNamesTheField() {
        assertThatThrownBy(() -> parse("columns:\n  age: {type: integer, min: eighteen}\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("line 2").hasMessageContaining("columns.age.min");
        assertThatThrownBy(() -> parse("strict: maybe\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("strict");
        assertThatThrownBy(() -> parse("columns: [age, income]\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("columns");
    }

    @Test
    void unknownTypeListsTheKnownOnes() {
        assertThatThrownBy(() -> parse("columns:\n  age: {type: int32}\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("columns.age.type")
                .hasMessageContaining("unknown type 'int32'").hasMessageContaining("integer, float");
    }

    @Test
    void contradictionsAreBadInput() {
        assertThatThrownBy(() -> parse("columns:\n  age: {min: 10, max: 5}\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("columns.age").hasMessageContaining("greater than max");
        assertThatThrownBy(() -> parse("columns:\n  x: {max_null_fraction: 1.5}\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> parse("checks:\n  - name: a\n    sql: SELECT 1\n  - name: a\n    sql: SELECT 2\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("two checks are named a");
        assertThatThrownBy(() -> parse("checks:\n  - name: a\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("needs sql");
        assertThatThrownBy(() -> parse("drift:\n  numeric: {warn: 0.3, fail: 0.1}\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("drift.numeric");
        assertThatThrownBy(() -> parse("columns:\n  age: {min: 1, inferred_from: {rows: 10, values: 11}}\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("columns.age.inferred_from").hasMessageContaining("values <= rows");
        assertThatThrownBy(() -> parse("columns:\n  age: {min: 1, inferred_from: {values: 3}}\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("columns.age.inferred_from.rows");
        assertThatThrownBy(() -> parse("columns:\n  plan: {inferred_from: {rows: 10, values: 5, singletons: 6}}\n"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("singletons");
    }

    @Test
    void anInferredSchemaReadsBackWithItsReferenceSample() {
        Schema inferred = SchemaInference.infer(DataProfiling.profile(
                TestData.write(dir, "ref.csv", "id,plan,score\n1,basic,0.5\n2,pro,\n3,basic,2.25\n").toString(), EngineSettings.DEFAULT, m -> { }));
        Path file = dir.resolve("inferred.yaml");

        SchemaFile.write(file, inferred, "inferred");

        Schema read = SchemaFile.read(file);
        assertThat(read).isEqualTo(inferred);
        assertThat(read.columns().get("score").inferredFrom()).isEqualTo(new ColumnSchema.InferredFrom(3, 2, null));
        assertThat(read.columns().get("plan").inferredFrom().singletons()).isEqualTo(1);
        assertThat(read.columns().get("score").maxNullFraction()).isEqualTo(0.333334);
    }

    @Test
    void emptyMissingAndMalformedFilesAreBadInput() {
        assertThatThrownBy(() -> parse("  \n")).isInstanceOf(BadInputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> SchemaFile.read(dir.resolve("none.yaml"))).isInstanceOf(BadInputException.class)
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> parse("columns:\n  age: {type: integer\n")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("schema.yaml");
    }

    @Test
    void writtenSchemaReadsBackTheSame() {
        Schema schema = parse(VALID);
        Path copy = dir.resolve("copy.yaml");

        SchemaFile.write(copy, schema, "a header\nsecond line");

        assertThat(SchemaFile.read(copy)).isEqualTo(schema);
    }
}
