package io.jenkins.plugins.mlops.io;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * Opens the embedded DuckDB every step reads the user's tables with. DuckDB's own default memory
 * limit (80% of RAM) suits a laptop, not a CI agent that runs other builds beside this one, so
 * every connection gets a fixed budget; larger aggregates spill to disk.
 */
public final class DuckDb {
    /** The memory budget of a step that does not say otherwise. */
    public static final String DEFAULT_MEMORY_LIMIT = "2GB";

    private DuckDb() {}

    /** An in-memory database with the default budget and one thread per processor. */
    public static Connection open() throws SQLException {
        return open(DEFAULT_MEMORY_LIMIT, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param memoryLimit a DuckDB size such as {@code 512MB} or {@code 2GB}
     * @param threads worker threads, at least 1
     */
    public static Connection open(String memoryLimit, int threads) throws SQLException {
        return open(memoryLimit, threads, false);
    }

    /**
     * @param streamResults whether a query's rows are produced as they are read, not all before the
     *     first: a scan exported row by row (as Arrow batches) then holds a few batches, not the file
     */
    public static Connection open(String memoryLimit, int threads, boolean streamResults) throws SQLException {
        // The driver itself, not DriverManager: that one first loads every JDBC driver on the class
        // path (SQLite and PostgreSQL for the prediction log, and SLF4J with them), ~35 ms a start.
        Properties properties = new Properties();
        if (streamResults) {
            properties.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
        }
        Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET memory_limit = " + Sql.literal(memoryLimit.strip()));
            statement.execute("SET threads = " + threads);
            statement.execute("SET enable_progress_bar = false");
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }
}
