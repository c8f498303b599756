package io.jenkins.plugins.mlops.deploy.metrics;

import io.jenkins.plugins.mlops.io.PostgresReadOnly;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/** PostgreSQL: each metric runs in {@link PostgresReadOnly}'s sandbox, which ingest shares. */
final class PostgresMetrics implements MetricDialect {

    @Override
    public Properties properties(Properties credentials, boolean compileOnly) {
        Properties properties = new Properties();
        properties.putAll(credentials);
        properties.putIfAbsent("connectTimeout", "5");
        properties.putIfAbsent("ApplicationName", "mlops-metrics");
        return properties;
    }

    @Override
    public void begin(Connection connection, Duration timeout) throws SQLException {
        PostgresReadOnly.begin(connection, timeout, "the prediction log's URL", "a metric");
    }

    @Override
    public PreparedStatement prepare(Connection connection, MetricQuery query) throws SQLException {
        PostgresReadOnly.requireOneStatement(connection, query.sql(), "--metric " + query.name(), "a metric is exactly one SELECT");
        return connection.prepareStatement(query.sql());
    }

    @Override
    public List<String> checkUser(Connection connection) throws SQLException {
        return MetricRole.of(connection).verdict();
    }
}
