package io.jenkins.plugins.mlops.deploy.metrics;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Parser;
import org.postgresql.jdbc.PreferQueryMode;

/**
 * PostgreSQL: PgJDBC splits a text at each top-level {@code ;} and runs the parts one after
 * another, which is how {@code SELECT 1; ROLLBACK; BEGIN READ WRITE; DROP TABLE ...} once escaped the
 * read-only transaction. So the driver's own parser must see one statement, and then the server
 * parses the whole text as one extended-protocol Parse message, which it refuses when it holds
 * several commands (and when driver and server tokenize differently). Each metric runs in a
 * {@code READ ONLY} transaction with a server-side {@code statement_timeout}.
 */
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
        if (connection.unwrap(PGConnection.class).getPreferQueryMode() == PreferQueryMode.SIMPLE) {
            throw new BadInputException("the prediction log's URL sets preferQueryMode=simple, which sends a metric as"
                    + " plain text where every statement in it runs; remove it from the URL");
        }
        connection.setReadOnly(true);
        try (Statement statement = connection.createStatement()) {
            // Explicit, not only setReadOnly: a URL with readOnlyMode=ignore would turn that into nothing.
            statement.execute("SET TRANSACTION READ ONLY");
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT set_config('statement_timeout', ?, true)")) {
            statement.setString(1, Math.max(1, timeout.toMillis()) + "ms");
            statement.execute();
        }
    }

    @Override
    public PreparedStatement prepare(Connection connection, MetricQuery query) throws SQLException {
        boolean standardStrings = connection.unwrap(BaseConnection.class).getStandardConformingStrings();
        String escaped = Parser.replaceProcessing(query.sql(), true, standardStrings);
        int statements = Parser.parseJdbcSql(escaped, standardStrings, true, true, false, false).size();
        if (statements != 1) {
            throw new BadInputException("--metric " + query.name() + ": the query is " + statements
                    + " statements; a metric is exactly one SELECT");
        }
        return connection.prepareStatement(query.sql());
    }

    @Override
    public List<String> checkUser(Connection connection) throws SQLException {
        return MetricRole.of(connection).verdict();
    }
}
