package io.jenkins.plugins.mlops.deploy.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** What keeps a metric's SQL to one read-only SELECT, per database: each uses the database's own parser. */
sealed interface MetricDialect permits SqliteMetrics, PostgresMetrics {

    static MetricDialect of(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:sqlite:") ? new SqliteMetrics() : new PostgresMetrics();
    }

    /**
     * The connection's properties: the metric user's credentials and whatever makes the connection read-only.
     *
     * @param compileOnly for a connection that only compiles the metrics and runs none
     */
    Properties properties(Properties credentials, boolean compileOnly);

    /** Starts the read-only transaction every metric runs in, with the statement timeout held by the server where it can. */
    void begin(Connection connection, Duration timeout) throws SQLException;

    /** Compiles the query, refusing (bad input, nothing run) a text that is more than one statement. */
    PreparedStatement prepare(Connection connection, MetricQuery query) throws SQLException;

    /** Refuses a metric user who could escape the sandbox; returns warnings for what the sandbox still holds. */
    List<String> checkUser(Connection connection) throws SQLException;
}
