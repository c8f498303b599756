package io.jenkins.plugins.mlops.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Custom SQL comes from pull requests: each hostile check here is bad input before any scan, and
 * none of them writes a file, reads one besides the data, or reaches the network.
 */
class CustomSqlSandboxTest {
    /** Marks a check that binds but is refused when it runs: an ERROR check, fail closed. */
    private static final String RUN_TIME = "ERROR at run time: ";

    @TempDir
    static Path dir;

    private static Path data;
    private static Path outside;

    private static Path data() {
        if (data == null) {
            data = TestData.write(dir, "data.csv", "id,age\n1,30\n2,17\n3,45\n");
            outside = TestData.write(dir, "secret.csv", "token\nhunter2\n");
        }
        return data;
    }

    private static String quoted(Path file) {
        return "'" + file.toString().replace("'", "''") + "'";
    }

    static Stream<Arguments> hostileChecks() {
        data();
        Path pwned = dir.resolve("pwned.csv");
        return Stream.of(
                Arguments.of("breaks out of the wrapping query", "SELECT 1) AS v; COPY (SELECT 42) TO " + quoted(pwned)
                        + "; SELECT * FROM (SELECT 1", "syntax error"),
                Arguments.of("a SELECT then a COPY", "SELECT * FROM data; COPY (SELECT 42) TO " + quoted(pwned), "one SELECT statement"),
                Arguments.of("a COPY alone", "COPY (SELECT 42) TO " + quoted(pwned), "one SELECT statement"),
                Arguments.of("two SELECTs", "SELECT * FROM data; SELECT * FROM data", "exactly one SELECT statement, not 2"),
                Arguments.of("reads /etc/passwd", "SELECT * FROM read_csv('/etc/passwd')", "reads only the view data"),
                Arguments.of("reads a text file", "SELECT * FROM read_text('/etc/passwd')", "reads only the view data"),
                Arguments.of("lists a directory", "SELECT * FROM glob('/root/*')", "reads only the view data"),
                Arguments.of("reads a file beside the data", "SELECT * FROM read_csv(" + quoted(outside) + ")", "reads only the view data"),
                Arguments.of("reaches the network", "SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')", "reads only the view data"),
                // sniff_csv opens its file only when it runs: the check is then an ERROR, never a PASS.
                Arguments.of("sniffs a file", "SELECT * FROM sniff_csv('/etc/passwd')", RUN_TIME + "file system operations are disabled"),
                Arguments.of("hides a COPY in query()", "SELECT * FROM query('COPY (SELECT 1) TO " + quoted(pwned).replace("'", "''") + "')",
                        "does not run"),
                Arguments.of("installs an extension", "INSTALL httpfs", "one SELECT statement"),
                Arguments.of("loads an extension", "LOAD httpfs", "one SELECT statement"),
                Arguments.of("autoloads an extension", "SELECT * FROM read_xlsx('/tmp/x.xlsx')", "does not run"),
                Arguments.of("changes a setting", "SET enable_external_access = true", "one SELECT statement"),
                Arguments.of("attaches a database", "ATTACH " + quoted(dir.resolve("x.db")), "one SELECT statement"),
                Arguments.of("runs a pragma", "PRAGMA enable_profiling", "one SELECT statement"),
                Arguments.of("creates a table", "CREATE TABLE t AS SELECT * FROM data", "one SELECT statement"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileChecks")
    void hostileSqlIsBadInputAndTouchesNothing(String what, String sql, String message) throws IOException {
        Path schema = schema(sql);

        if (message.startsWith(RUN_TIME)) {
            assertThat(validate(schema).checks()).filteredOn(c -> c.name().equals("sql:hostile")).singleElement()
                    .satisfies(c -> assertThat(c.status()).isEqualTo(Status.ERROR))
                    .satisfies(c -> assertThat(c.message()).contains(message.substring(RUN_TIME.length())));
        } else {
            assertThatThrownBy(() -> validate(schema)).as(what).isInstanceOf(BadInputException.class)
                    .hasMessageContaining(schema.toString()).hasMessageContaining("checks.hostile").hasMessageContaining(message);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).as(what)
                    .allMatch(name -> name.equals("data.csv") || name.equals("secret.csv") || name.startsWith("schema"));
        }
    }

    @Test
    void ordinarySelectsStillRunAsChecks() throws IOException {
        ValidationResult result = validate(schema(
                "WITH minors AS (SELECT * FROM data WHERE age < 18) SELECT * FROM minors; -- the violating rows",
                "FROM data WHERE id IN (SELECT id FROM data WHERE age > 40)",
                "SELECT * FROM read_csv(" + quoted(data()) + ") WHERE age > 100"));

        assertThat(result.checks()).filteredOn(c -> c.name().startsWith("sql:")).extracting(Check::status)
                .containsExactly(Status.FAIL, Status.FAIL, Status.PASS);
        assertThat(result.checks()).filteredOn(c -> c.name().equals("sql:hostile")).first()
                .satisfies(c -> assertThat(c.observed()).isEqualTo("1 violating rows"));
    }

    private static ValidationResult validate(Path schema) {
        return new DataValidator(message -> { })
                .validate(new ValidationConfig(data().toString(), null, null, schema.toString(), EngineSettings.DEFAULT));
    }

    private static Path schema(String... sql) throws IOException {
        StringBuilder yaml = new StringBuilder("columns:\n  id: {type: integer}\n  age: {type: integer}\nchecks:\n");
        for (int i = 0; i < sql.length; i++) {
            yaml.append("  - name: hostile").append(i == 0 ? "" : String.valueOf(i)).append("\n    sql: |-\n      ")
                    .append(sql[i]).append('\n');
        }
        return Files.writeString(Files.createTempFile(dir, "schema", ".yaml"), yaml);
    }
}
