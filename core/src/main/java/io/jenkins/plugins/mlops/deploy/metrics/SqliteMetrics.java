package io.jenkins.plugins.mlops.deploy.metrics;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * SQLite: the file is opened {@code SQLITE_OPEN_READONLY}. SQLite compiles only the first statement
 * of a text and sqlite-jdbc drops the rest (the tail) silently, without telling; so the query is
 * compiled a second time with an unbalanced {@code )} appended: when the first statement reaches
 * the end of the text that {@code )} is a syntax error, and when it still compiles, the text has a tail.
 */
final class SqliteMetrics implements MetricDialect {
    private static final String SQLITE_OPEN_READONLY = "1";
    private static final String SQLITE_OPEN_READWRITE = "2";

    /**
     * A read-only connection cannot remove the {@code -wal} and {@code -shm} files it needs to read a
     * WAL database; compiling runs nothing, so the check opens read-write (never creating the file),
     * and a refused metric leaves the log's directory as it was.
     */
    @Override
    public Properties properties(Properties credentials, boolean compileOnly) {
        Properties properties = new Properties();
        properties.putAll(credentials);
        properties.setProperty("open_mode", compileOnly ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
        return properties;
    }

    @Override
    public void begin(Connection connection, Duration timeout) {
        // Nothing to start: the read-only open holds every transaction, and the statement's query timeout interrupts it.
    }

    @Override
    public PreparedStatement prepare(Connection connection, MetricQuery query) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(query.sql());
        if (compiles(connection, query.sql() + "\n)")) {
            statement.close();
            throw new BadInputException("--metric " + query.name() + ": SQLite reads only the first statement of the query and"
                    + " would drop the rest; a metric is exactly one SELECT, without a second statement after ';'");
        }
        return statement;
    }

    @Override
    public List<String> checkUser(Connection connection) {
        return List.of(); // SQLite has no users: the read-only open is the sandbox.
    }

    private static boolean compiles(Connection connection, String sql) {
        try (PreparedStatement probe = connection.prepareStatement(sql)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
