package io.jenkins.plugins.mlops.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.mlops.deploy.Postgres;
import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.judge.MetricDirection;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The metric SQL contract on a real PostgreSQL: casts, the read-only transaction, the statement timeout, an outage. */
class SqlMetricOnPostgresTest {

    @Test
    void readsOneValuePerUnitReadOnlyWithATimeout() throws Exception {
        try (Postgres postgres = Postgres.start()) {
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE mlops_predictions (request_id TEXT, variant TEXT, received_at BIGINT, prediction DOUBLE PRECISION)");
                s.execute("INSERT INTO mlops_predictions VALUES ('r1', 'candidate', 10, 0.25), ('r2', 'candidate', 11, 0.75),"
                        + " ('r3', 'stable', 12, 0.5), ('r4', 'candidate', 99, 1.0)");
                s.execute("CREATE ROLE metrics LOGIN");
                s.execute("GRANT SELECT ON mlops_predictions TO metrics");
            }
            // Trust authentication ignores the password; the messages must not show it.
            SqlMetricReader reader = new SqlMetricReader(postgres.jdbcUrl("metrics") + "&password=s3cret", new Properties(),
                    Duration.ofSeconds(1), 1000);
            BusinessMetric mean = BusinessMetric.parse("p=SELECT prediction::float8 FROM mlops_predictions "
                    + "WHERE variant = :variant AND received_at >= :from AND received_at < :to", "--metric");
            assertThat(reader.values(mean, "candidate", Instant.ofEpochMilli(0), Instant.ofEpochMilli(50))).containsExactly(0.25, 0.75);

            BusinessMetric delete = new BusinessMetric("evil", MetricDirection.EITHER, BusinessMetric.Language.SQL,
                    "WITH gone AS (DELETE FROM mlops_predictions RETURNING 1) SELECT 1 FROM gone");
            assertThatThrownBy(() -> reader.values(delete, "stable", Instant.EPOCH, Instant.now()))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("--metric evil");
            BusinessMetric slow = BusinessMetric.parse("slow=SELECT 1 FROM pg_sleep(5)", "--metric");
            assertThatThrownBy(() -> reader.values(slow, "stable", Instant.EPOCH, Instant.now()))
                    .isInstanceOf(BadInputException.class).hasMessageContaining("--metric slow");
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl()); Statement s = c.createStatement();
                    ResultSet rows = s.executeQuery("SELECT count(*) FROM mlops_predictions")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(4);
            }

            postgres.stopServer();
            assertThatThrownBy(() -> reader.values(mean, "candidate", Instant.EPOCH, Instant.now()))
                    .isInstanceOf(InfrastructureException.class).hasMessageContaining("prediction log").hasMessageNotContaining("s3cret");
        }
    }
}
