package io.jenkins.plugins.mlops.deploy.metrics;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.deploy.log.PredictionLog;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.JdbcConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;

/**
 * Runs a business metric's SQL against the prediction log. The contract: the query returns one
 * row per unit (a request, a user) of the arm, whose first column is the unit's numeric value
 * (NULL rows are skipped); mlops binds {@code :variant} (the arm's name in
 * {@code mlops_predictions.variant}), {@code :from} and {@code :to} (epoch milliseconds, the
 * half-open interval judged). The connection is read-only, each query has a timeout and a row cap.
 */
public final class SqlMetricReader {
    /** PostgreSQL's answer to a statement timeout (JDBC's {@code setQueryTimeout} cancels the query). */
    private static final String QUERY_CANCELED = "57014";
    private final String jdbcUrl;
    private final Properties credentials;
    private final Duration timeout;
    private final int maxRows;

    /** @param credentials the database's user and password, if it needs them */
    public SqlMetricReader(String jdbcUrl, Properties credentials, Duration timeout, int maxRows) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = credentials;
        this.timeout = timeout;
        this.maxRows = maxRows;
    }

    public double[] values(BusinessMetric metric, String variant, Instant from, Instant to) {
        NamedParameters query = NamedParameters.parse(metric.query(), metric.name());
        try (Connection connection = open()) {
            try (PreparedStatement statement = connection.prepareStatement(query.sql())) {
                statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                statement.setMaxRows(maxRows + 1);
                for (int i = 0; i < query.names().size(); i++) {
                    switch (query.names().get(i)) {
                        case "variant" -> statement.setString(i + 1, variant);
                        case "from" -> statement.setLong(i + 1, from.toEpochMilli());
                        default -> statement.setLong(i + 1, to.toEpochMilli());
                    }
                }
                return read(statement, metric);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            if (e instanceof SQLTimeoutException || QUERY_CANCELED.equals(e.getSQLState())) {
                throw new BadInputException("--metric " + metric.name() + ": the query ran longer than " + timeout.toSeconds() + " s", e);
            }
            if (isConnectionTrouble(e)) {
                throw new InfrastructureException("the prediction log " + redacted() + " did not answer: " + e.getMessage(), e);
            }
            throw new BadInputException("--metric " + metric.name() + ": the database refused the query: " + e.getMessage(), e);
        }
    }

    private double[] read(PreparedStatement statement, BusinessMetric metric) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            int type = rows.getMetaData().getColumnType(1);
            if (type == Types.VARCHAR || type == Types.CHAR || type == Types.LONGVARCHAR || type == Types.NVARCHAR) {
                throw new BadInputException("--metric " + metric.name() + ": the query's first column must be numeric, it is text");
            }
            double[] values = new double[64];
            int n = 0;
            while (rows.next()) {
                if (n == maxRows) {
                    throw new BadInputException("--metric " + metric.name() + ": the query returned more than " + maxRows
                            + " rows; return one value per unit of the arm");
                }
                double value = rows.getDouble(1);
                if (!rows.wasNull()) {
                    if (n == values.length) {
                        values = Arrays.copyOf(values, n * 2);
                    }
                    values[n++] = value;
                }
            }
            return Arrays.copyOf(values, n);
        }
    }

    private Connection open() throws SQLException {
        Properties properties = new Properties();
        properties.putAll(credentials);
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            properties.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: the log cannot be written from here
        }
        Connection connection;
        try {
            connection = JdbcConnections.open(jdbcUrl, properties);
        } catch (SQLException e) {
            throw new InfrastructureException("cannot open the prediction log " + redacted() + ": " + e.getMessage(), e);
        }
        try {
            if (!jdbcUrl.startsWith("jdbc:sqlite:")) {
                connection.setReadOnly(true);
            }
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private static boolean isConnectionTrouble(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"));
    }

    private String redacted() {
        return PredictionLog.redacted(jdbcUrl);
    }
}
