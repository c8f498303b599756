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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Runs a business metric's SQL against the prediction log. The contract: the query returns one
 * row per unit (a request, a user) of the arm, whose first column is the unit's numeric value
 * (NULL rows are skipped); mlops binds {@code :variant} (the arm's name in
 * {@code mlops_predictions.variant}), {@code :from} and {@code :to} (epoch milliseconds, the
 * half-open interval judged). Every query is exactly one SELECT, compiled and checked before it
 * runs, in a read-only transaction with a timeout and a row cap, as the metric user, who
 * {@link #check} vets before the first query.
 */
public final class SqlMetricReader {
    /** PostgreSQL's answer to a statement timeout (JDBC's {@code setQueryTimeout} cancels the query). */
    private static final String QUERY_CANCELED = "57014";
    private final String jdbcUrl;
    private final Properties credentials;
    private final Duration timeout;
    private final int maxRows;
    private final MetricDialect dialect;
    private volatile boolean userChecked;

    /** @param credentials the metric user's name and password, if the database needs them */
    public SqlMetricReader(String jdbcUrl, Properties credentials, Duration timeout, int maxRows) {
        this.jdbcUrl = jdbcUrl;
        this.credentials = credentials;
        this.timeout = timeout;
        this.maxRows = maxRows;
        this.dialect = MetricDialect.of(jdbcUrl);
    }

    /**
     * Vets the metric user and compiles every SQL metric without running it, so that a query that
     * is not one SELECT, or a user who could escape, is bad input before any traffic moves.
     *
     * @return warnings about the metric user that do not stop the run
     */
    public List<String> check(List<BusinessMetric> metrics) {
        List<String> warnings = new ArrayList<>();
        try (Connection connection = open(true)) {
            try {
                dialect.begin(connection, timeout);
                warnings.addAll(dialect.checkUser(connection));
                userChecked = true;
                for (BusinessMetric metric : metrics) {
                    if (metric.language() == BusinessMetric.Language.SQL) {
                        describe(connection, metric);
                    }
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw failure(e, "checking the metrics");
        }
        return warnings;
    }

    public double[] values(BusinessMetric metric, String variant, Instant from, Instant to) {
        if (!userChecked) {
            check(List.of());
        }
        MetricQuery query = MetricQuery.of(metric);
        try (Connection connection = open(false)) {
            try {
                dialect.begin(connection, timeout);
                try (PreparedStatement statement = dialect.prepare(connection, query)) {
                    statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
                    statement.setMaxRows(maxRows + 1);
                    query.bind(statement, variant, from, to);
                    return read(statement, metric);
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw failure(e, "--metric " + metric.name());
        }
    }

    /** Compiles the query and has the database describe its result: parsed and analysed, never executed. */
    private void describe(Connection connection, BusinessMetric metric) {
        MetricQuery query = MetricQuery.of(metric);
        try (PreparedStatement statement = dialect.prepare(connection, query)) {
            query.bind(statement, "", Instant.EPOCH, Instant.EPOCH);
            statement.getMetaData();
        } catch (SQLException e) {
            throw failure(e, "--metric " + metric.name());
        }
    }

    private RuntimeException failure(SQLException e, String what) {
        if (e instanceof SQLTimeoutException || QUERY_CANCELED.equals(e.getSQLState())) {
            return new BadInputException(what + ": the query ran longer than " + timeout.toSeconds() + " s", e);
        }
        if (isConnectionTrouble(e)) {
            return new InfrastructureException("the prediction log " + redacted() + " did not answer: " + e.getMessage(), e);
        }
        return new BadInputException(what + ": the database refused the query (a metric is exactly one SELECT): "
                + e.getMessage(), e);
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

    private Connection open(boolean compileOnly) {
        Connection connection;
        try {
            connection = JdbcConnections.open(jdbcUrl, dialect.properties(credentials, compileOnly));
        } catch (SQLException e) {
            throw new InfrastructureException("cannot open the prediction log " + redacted() + ": " + e.getMessage(), e);
        }
        try {
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Already failing; the first error is the one to tell.
            }
            throw failure(e, "the prediction log");
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
