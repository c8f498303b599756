package io.jenkins.plugins.mlops.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.deploy.Postgres;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.MetricDirection;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.jenkins.plugins.mlops.io.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue 19 on a real PostgreSQL, as the superuser the cluster was made with and as
 * an ordinary role that can only read the log: the statements after the first escaping the
 * read-only transaction, a shell command through COPY TO PROGRAM, and server files read through
 * pg_read_file. None may run; the table stays, the file is not created, no line of /etc/passwd is shown.
 */
class MetricSandboxOnPostgresTest {
    @TempDir
    Path dir;

    @Test
    void noAttackRunsAsSuperuserOrAsAnOrdinaryRole() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // the server's OS user could write here
        Path marker = dir.resolve("pwned");
        List<String> attacks = List.of(
                "SELECT 1; ROLLBACK; BEGIN READ WRITE; DROP TABLE mlops_feedback; COMMIT",
                "SELECT 1; COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'",
                "COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'",
                "SELECT 1) AS x; COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'; SELECT * FROM (SELECT 1",
                "SELECT length(pg_read_file('/etc/passwd'))",
                "SELECT pg_read_file('/etc/passwd')::int",
                "WITH gone AS (DELETE FROM mlops_feedback RETURNING 1) SELECT 1 FROM gone");
        try (Postgres postgres = Postgres.start()) {
            PredictionLog.createTables(postgres.jdbcUrl(), new Properties(), "log");
            execute(postgres.jdbcUrl(), "INSERT INTO mlops_feedback VALUES ('r1', 1, NULL, 5)",
                    "CREATE ROLE metrics LOGIN", "GRANT SELECT ON mlops_predictions, mlops_feedback TO metrics");
            for (String user : List.of("mlops", "metrics")) {
                SqlMetricReader reader = new SqlMetricReader(postgres.jdbcUrl(user), new Properties(), Duration.ofSeconds(5), 1000);
                for (String attack : attacks) {
                    assertThatThrownBy(() -> reader.values(metric(attack), "stable", Instant.EPOCH, Instant.now()))
                            .as(user + ": " + attack).isInstanceOf(BadInputException.class)
                            .hasMessageNotContaining("root:");
                }
            }
            // The statement check holds on its own, even on a superuser's connection.
            try (Connection superuser = DriverManager.getConnection(postgres.jdbcUrl())) {
                PostgresMetrics dialect = new PostgresMetrics();
                superuser.setAutoCommit(false);
                dialect.begin(superuser, Duration.ofSeconds(5));
                for (String attack : attacks.subList(0, 4)) {
                    assertThatThrownBy(() -> dialect.prepare(superuser, MetricQuery.of(metric(attack))).getMetaData())
                            .as(attack).isInstanceOfAny(BadInputException.class, SQLException.class);
                }
                superuser.rollback();
            }
            assertThat(count(postgres.jdbcUrl(), "SELECT count(*) FROM mlops_feedback")).isEqualTo(1);
            assertThat(marker).doesNotExist();
        }
    }

    @Test
    void theMetricUserIsVettedAndTheMetricsCompiledBeforeAnyRuns() throws Exception {
        try (Postgres postgres = Postgres.start()) {
            PredictionLog.createTables(postgres.jdbcUrl(), new Properties(), "log");
            execute(postgres.jdbcUrl(), "INSERT INTO mlops_feedback VALUES ('r1', 1, NULL, 5)",
                    "CREATE SEQUENCE counter", "CREATE ROLE metrics LOGIN", "GRANT SELECT ON mlops_predictions, mlops_feedback TO metrics",
                    "GRANT USAGE ON SEQUENCE counter TO metrics",
                    "CREATE ROLE writer LOGIN", "GRANT SELECT, INSERT ON mlops_predictions, mlops_feedback TO writer",
                    "CREATE ROLE reader LOGIN", "GRANT SELECT ON mlops_predictions, mlops_feedback TO reader",
                    "GRANT pg_read_server_files TO reader", "CREATE ROLE blind LOGIN",
                    "GRANT SELECT ON mlops_predictions TO blind");
            BusinessMetric counter = metric("SELECT nextval('counter')");

            assertThat(reader(postgres, "metrics").check(List.of(counter))).isEmpty();
            // Compiled, not run: running it is a write the read-only transaction refuses.
            assertThatThrownBy(() -> reader(postgres, "metrics").values(counter, "stable", Instant.EPOCH, Instant.now()))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("read-only transaction");
            assertThat(count(postgres.jdbcUrl(), "SELECT count(*) FROM pg_sequences WHERE sequencename = 'counter' AND last_value IS NULL"))
                    .isEqualTo(1);

            assertThatThrownBy(() -> reader(postgres, "mlops").check(List.of(counter)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("'mlops' is a PostgreSQL superuser");
            assertThatThrownBy(() -> reader(postgres, "reader").check(List.of(counter)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("member of pg_read_server_files");
            assertThatThrownBy(() -> reader(postgres, "blind").check(List.of(counter)))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("GRANT SELECT ON mlops_feedback TO blind");
            assertThat(reader(postgres, "writer").check(List.of(counter)))
                    .singleElement().asString().contains("'writer' can write mlops_predictions and mlops_feedback");
            assertThatThrownBy(() -> reader(postgres, "metrics").check(List.of(metric("SELECT 1; SELECT 2"))))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("exactly one SELECT");
            assertThatThrownBy(() -> reader(postgres, "metrics").check(List.of(metric("SELECT 1) AS a; SELECT * FROM (SELECT 2"))))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("--metric m: the query is 2 statements");
            // A URL that would send the metric as plain text, where every statement runs, is refused.
            SqlMetricReader simple = new SqlMetricReader(postgres.jdbcUrl("metrics") + "&preferQueryMode=simple", new Properties(),
                    Duration.ofSeconds(5), 10);
            assertThatThrownBy(() -> simple.check(List.of(counter))).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("preferQueryMode=simple");
        }
    }

    private static SqlMetricReader reader(Postgres postgres, String user) {
        return new SqlMetricReader(postgres.jdbcUrl(user), new Properties(), Duration.ofSeconds(5), 1000);
    }

    private static BusinessMetric metric(String sql) {
        return new BusinessMetric("m", MetricDirection.EITHER, BusinessMetric.Language.SQL, sql);
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
