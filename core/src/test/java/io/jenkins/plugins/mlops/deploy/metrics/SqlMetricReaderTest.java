package io.jenkins.plugins.mlops.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.MetricDirection;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.NamedSql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metric SQL contract on a real SQLite prediction log: one value per unit, bound parameters, read-only. */
class SqlMetricReaderTest {
    private static final String CONVERSION = "conversion:higher=SELECT f.outcome FROM mlops_predictions p "
            + "JOIN mlops_feedback f ON f.request_id = p.request_id "
            + "WHERE p.variant = :variant AND p.received_at >= :from AND p.received_at < :to";
    @TempDir
    Path dir;
    private String url;

    @BeforeEach
    void writeLog() throws SQLException {
        url = "jdbc:sqlite:" + dir.resolve("log.db");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE mlops_predictions (request_id TEXT NOT NULL, variant TEXT NOT NULL, received_at BIGINT NOT NULL,"
                    + " status INTEGER NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, request TEXT, response TEXT,"
                    + " prediction DOUBLE PRECISION, mirrored BOOLEAN NOT NULL)");
            s.execute("CREATE TABLE mlops_feedback (request_id TEXT NOT NULL, outcome DOUBLE PRECISION, label TEXT, received_at BIGINT NOT NULL)");
            for (int i = 0; i < 10; i++) {
                String variant = i % 2 == 0 ? "stable" : "candidate";
                s.execute("INSERT INTO mlops_predictions VALUES ('r" + i + "', '" + variant + "', " + (1000 + i) + ", 200, 5, '{}', '{}', 0.5, false)");
                s.execute("INSERT INTO mlops_feedback VALUES ('r" + i + "', " + (i == 8 ? "NULL" : String.valueOf(i % 3)) + ", ':from', 2000)");
            }
        }
    }

    @Test
    void returnsOneValuePerUnitOfTheArmWithinTheInterval() {
        SqlMetricReader reader = reader(1000);
        BusinessMetric metric = BusinessMetric.parse(CONVERSION, "--metric");
        // stable: r0 r2 r4 r6 r8 (r8's outcome NULL is skipped); the interval [1000, 1007) drops r8 anyway
        assertThat(reader.values(metric, "stable", Instant.ofEpochMilli(1000), Instant.ofEpochMilli(1007)))
                .containsExactly(0, 2, 1, 0);
        assertThat(reader.values(metric, "candidate", Instant.ofEpochMilli(1000), Instant.ofEpochMilli(1010)))
                .containsExactly(1, 0, 2, 1, 0);
        assertThat(reader.values(metric, "nobody", Instant.ofEpochMilli(1000), Instant.ofEpochMilli(1010))).isEmpty();
    }

    @Test
    void parametersAreBoundNeverSplicedAndLiteralsAreLeftAlone() {
        NamedSql p = NamedSql.parse("SELECT ':variant', x::float FROM t -- :to\nWHERE v = :variant AND \"a:b\" < :to",
                Set.of("variant", "from", "to"), "--metric m");
        assertThat(p.sql()).isEqualTo("SELECT ':variant', x::float FROM t -- :to\nWHERE v = ? AND \"a:b\" < ?");
        assertThat(p.names()).containsExactly("variant", "to");
        // A variant name that is SQL stays a value.
        SqlMetricReader reader = reader(1000);
        BusinessMetric metric = BusinessMetric.parse(CONVERSION, "--metric");
        assertThat(reader.values(metric, "stable' OR '1'='1", Instant.ofEpochMilli(0), Instant.ofEpochMilli(9999))).isEmpty();
        assertThatThrownBy(() -> NamedSql.parse("SELECT 1 WHERE a = :user", Set.of("variant"), "--metric m"))
                .isInstanceOf(BadInputException.class).hasMessageContaining(":user");
    }

    @Test
    void theLogCannotBeWrittenThroughAMetric() throws SQLException {
        SqlMetricReader reader = reader(1000);
        BusinessMetric delete = new BusinessMetric("evil", io.jenkins.plugins.mlops.deploy.judge.MetricDirection.EITHER,
                BusinessMetric.Language.SQL, "WITH x AS (SELECT 1) DELETE FROM mlops_predictions RETURNING 1");
        assertThatThrownBy(() -> reader.values(delete, "stable", Instant.EPOCH, Instant.now()))
                .isInstanceOf(BadInputException.class).hasMessageContaining("--metric evil");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM mlops_predictions")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(10);
        }
    }

    @Test
    void aTrailingStatementIsRefusedNotDroppedAndNothingButOneSelectCompiles() throws SQLException {
        SqlMetricReader reader = reader(1000);
        Path copy = dir.resolve("copy.db");
        List<String> refused = List.of(
                "SELECT outcome FROM mlops_feedback; DELETE FROM mlops_feedback",
                "SELECT outcome FROM mlops_feedback; SELECT 1",
                "SELECT 1) AS mlops_metric; DELETE FROM mlops_feedback; SELECT * FROM (SELECT 1",
                "VACUUM INTO '" + copy + "'",
                "DELETE FROM mlops_feedback RETURNING outcome");
        for (String sql : refused) {
            BusinessMetric metric = new BusinessMetric("m", MetricDirection.EITHER, BusinessMetric.Language.SQL, sql);
            assertThatThrownBy(() -> reader.check(List.of(metric))).as(sql).isInstanceOf(BadInputException.class)
                    .hasMessageContaining("--metric m");
            assertThatThrownBy(() -> reader.values(metric, "stable", Instant.EPOCH, Instant.now())).as(sql)
                    .isInstanceOf(BadInputException.class).hasMessageContaining("--metric m");
        }
        assertThat(copy).doesNotExist();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM mlops_feedback")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(10);
        }
        // One closing ';', a trailing comment and a ';' inside a literal stay one statement.
        BusinessMetric fine = BusinessMetric.parse("ok=SELECT outcome FROM mlops_feedback WHERE label <> ';' -- all of them;\n;",
                "--metric");
        assertThat(reader.check(List.of(fine))).isEmpty();
        assertThat(reader.values(fine, "stable", Instant.EPOCH, Instant.now())).hasSize(9);
    }

    @Test
    void badQueriesAreBadInputNamingTheMetric() {
        SqlMetricReader reader = reader(3);
        assertThatThrownBy(() -> reader.values(BusinessMetric.parse("t=SELECT variant FROM mlops_predictions", "--metric"),
                "stable", Instant.EPOCH, Instant.now())).isInstanceOf(BadInputException.class).hasMessageContaining("numeric");
        assertThatThrownBy(() -> reader.values(BusinessMetric.parse("many=SELECT latency_ms FROM mlops_predictions", "--metric"),
                "stable", Instant.EPOCH, Instant.now())).isInstanceOf(BadInputException.class).hasMessageContaining("more than 3 rows");
        assertThatThrownBy(() -> reader.values(BusinessMetric.parse("typo=SELECT x FROM no_such_table", "--metric"),
                "stable", Instant.EPOCH, Instant.now())).isInstanceOf(BadInputException.class).hasMessageContaining("--metric typo");
    }

    @Test
    void aMissingLogIsAnInfrastructureFailure() {
        SqlMetricReader reader = new SqlMetricReader("jdbc:sqlite:" + dir.resolve("absent/log.db"), new Properties(),
                Duration.ofSeconds(5), 100);
        assertThatThrownBy(() -> reader.values(BusinessMetric.parse(CONVERSION, "--metric"), "stable", Instant.EPOCH, Instant.now()))
                .isInstanceOf(InfrastructureException.class).hasMessageContaining("cannot open the prediction log");
    }

    private SqlMetricReader reader(int maxRows) {
        return new SqlMetricReader(url, new Properties(), Duration.ofSeconds(5), maxRows);
    }
}
