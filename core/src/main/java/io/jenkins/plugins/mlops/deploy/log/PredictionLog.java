package io.jenkins.plugins.mlops.deploy.log;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.JdbcConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The prediction log: rows go into a bounded buffer and one writer thread commits them in
 * batches, so the request path never waits for the database. When the database goes away the
 * writer keeps its batch and retries with backoff; rows that do not fit the buffer meanwhile, and
 * rows still unwritten when the log closes, are counted in {@link LogStats}, never dropped silently.
 */
public final class PredictionLog implements AutoCloseable {

    /**
     * @param bufferRows rows held while the database is slow or down
     * @param batchRows rows per transaction
     * @param flushInterval how long a partial batch waits for more rows
     * @param maxBackoff the longest pause between retries of a failed write
     * @param closeTimeout how long closing waits for the buffer to drain into the database
     */
    public record Settings(int bufferRows, int batchRows, Duration flushInterval, Duration maxBackoff, Duration closeTimeout) {
        public static Settings defaults() {
            return new Settings(200_000, 500, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30));
        }

        public Settings withCloseTimeout(Duration timeout) {
            return new Settings(bufferRows, batchRows, flushInterval, maxBackoff, timeout);
        }
    }

    private final String jdbcUrl;
    private final Properties properties;
    private final Settings settings;
    private final BlockingQueue<LogRow> buffer;
    private final Thread writer;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile long unwritten;
    private volatile String lastError;
    private volatile boolean closing;
    private volatile long closeDeadlineNanos = Long.MAX_VALUE;
    private Connection connection;

    private PredictionLog(String jdbcUrl, Properties properties, Settings settings) {
        this.jdbcUrl = jdbcUrl;
        this.properties = properties;
        this.settings = settings;
        this.buffer = new ArrayBlockingQueue<>(settings.bufferRows());
        this.writer = new Thread(this::writeLoop, "mlops-prediction-log");
        this.writer.setDaemon(true);
    }

    /**
     * Opens the log and creates its tables. The URL must be {@code jdbc:sqlite:FILE} or
     * {@code jdbc:postgresql://...}; credentials may come in the URL or in {@code properties}.
     * A database that cannot be reached now is an infrastructure failure: better not to start than
     * to start a shadow run whose log is lost from the first row.
     */
    public static PredictionLog open(String jdbcUrl, Properties properties, Settings settings) {
        LogUrl.check(jdbcUrl, "log");
        PredictionLog log = new PredictionLog(jdbcUrl, withTimeouts(jdbcUrl, properties), settings);
        try {
            log.connect();
        } catch (SQLException e) {
            throw new InfrastructureException("log: cannot open " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
        }
        log.writer.start();
        return log;
    }

    /**
     * Creates the log's tables, as the writer, if they are not there yet: the metric SQL is checked
     * against them before the router that writes them starts.
     *
     * @param field the option or field that named the URL, for messages
     */
    public static void createTables(String jdbcUrl, Properties properties, String field) {
        LogUrl.check(jdbcUrl, field);
        try {
            connectWriter(jdbcUrl, withTimeouts(jdbcUrl, properties)).close();
        } catch (SQLException e) {
            throw new InfrastructureException(field + ": cannot open " + redacted(jdbcUrl) + ": " + e.getMessage(), e);
        }
    }

    private static Properties withTimeouts(String jdbcUrl, Properties properties) {
        Properties withTimeouts = new Properties();
        withTimeouts.putAll(properties);
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            // A stopped server must fail a write quickly, so that the writer retries instead of hanging.
            withTimeouts.putIfAbsent("connectTimeout", "5");
            withTimeouts.putIfAbsent("socketTimeout", "30");
            withTimeouts.putIfAbsent("ApplicationName", "mlops-router");
        }
        return withTimeouts;
    }

    public static PredictionLog open(String jdbcUrl) {
        return open(jdbcUrl, new Properties(), Settings.defaults());
    }

    /** Takes a row for writing; false (and counted as lost) when the buffer is full or the log is closing. */
    public boolean append(LogRow row) {
        if (!closing && buffer.offer(row)) {
            accepted.incrementAndGet();
            return true;
        }
        rejected.incrementAndGet();
        return false;
    }

    public LogStats stats() {
        return new LogStats(redacted(jdbcUrl), accepted.get(), written.get(), rejected.get(), unwritten,
                failedWrites.get(), lastError);
    }

    /** Waits until every row accepted so far is written; false if that took longer than {@code timeout}. */
    public boolean awaitWritten(Duration timeout) {
        long target = accepted.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (written.get() < target) {
            if (System.nanoTime() > deadline || !writer.isAlive()) {
                return false;
            }
            sleep(10);
        }
        return true;
    }

    /** Stops taking rows, writes what is buffered (up to the close timeout) and counts the rest as lost. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closeDeadlineNanos = System.nanoTime() + settings.closeTimeout().toNanos();
        closing = true;
        try {
            writer.join(settings.closeTimeout().toMillis() + settings.maxBackoff().toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<LogRow> batch = new ArrayList<>(settings.batchRows());
        long backoffMillis = 100;
        while (true) {
            boolean pastDeadline = closing && System.nanoTime() > closeDeadlineNanos;
            if (pastDeadline || (closing && batch.isEmpty() && buffer.isEmpty())) {
                break;
            }
            if (batch.isEmpty() && !fill(batch)) {
                continue;
            }
            try {
                write(batch);
                written.addAndGet(batch.size());
                batch.clear();
                backoffMillis = 100;
            } catch (SQLException e) {
                failedWrites.incrementAndGet();
                lastError = e.getMessage();
                disconnect();
                sleepUntilRetry(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, settings.maxBackoff().toMillis());
            }
        }
        unwritten = batch.size() + buffer.size();
        buffer.clear();
        disconnect();
    }

    private boolean fill(List<LogRow> batch) {
        try {
            LogRow first = buffer.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return false;
            }
            batch.add(first);
            buffer.drainTo(batch, settings.batchRows() - 1);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void write(List<LogRow> batch) throws SQLException {
        if (connection == null) {
            connect();
        }
        try (PreparedStatement predictions = connection.prepareStatement(LogSchema.INSERT_PREDICTION);
                PreparedStatement feedback = connection.prepareStatement(LogSchema.INSERT_FEEDBACK)) {
            int predictionRows = 0;
            int feedbackRows = 0;
            for (LogRow row : batch) {
                if (row instanceof PredictionRow p) {
                    predictions.setString(1, p.requestId());
                    predictions.setString(2, p.variant());
                    predictions.setLong(3, p.receivedAt());
                    predictions.setInt(4, p.status());
                    predictions.setDouble(5, p.latencyMs());
                    predictions.setString(6, p.request());
                    predictions.setString(7, p.response());
                    setDouble(predictions, 8, p.prediction());
                    predictions.setBoolean(9, p.mirrored());
                    predictions.addBatch();
                    predictionRows++;
                } else if (row instanceof FeedbackRow f) {
                    feedback.setString(1, f.requestId());
                    setDouble(feedback, 2, f.outcome());
                    feedback.setString(3, f.label());
                    feedback.setLong(4, f.receivedAt());
                    feedback.setString(5, f.requestId());
                    feedback.addBatch();
                    feedbackRows++;
                }
            }
            if (predictionRows > 0) {
                predictions.executeBatch();
            }
            if (feedbackRows > 0) {
                feedback.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // The connection is gone; the batch is retried on a new one.
            }
            throw e;
        }
    }

    private static void setDouble(PreparedStatement statement, int index, Double value) throws SQLException {
        if (value == null || !Double.isFinite(value)) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    private void connect() throws SQLException {
        connection = connectWriter(jdbcUrl, properties);
    }

    /** A connection in a transaction, the tables created. */
    private static Connection connectWriter(String jdbcUrl, Properties properties) throws SQLException {
        Connection opened = JdbcConnections.open(jdbcUrl, properties);
        try (Statement statement = opened.createStatement()) {
            if (jdbcUrl.startsWith("jdbc:sqlite:")) {
                // Readers (the rollout's metric SQL) must not block the writer, nor the writer them.
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA busy_timeout=5000");
            }
            for (String ddl : LogSchema.CREATE) {
                statement.execute(ddl);
            }
            opened.setAutoCommit(false);
            return opened;
        } catch (SQLException e) {
            opened.close();
            throw e;
        }
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Closing a broken connection; nothing left to save.
            }
            connection = null;
        }
    }

    private void sleepUntilRetry(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < Math.min(until, closeDeadlineNanos)) {
            sleep(Math.min(50, millis));
        }
    }

    /** The URL without a password parameter, for reports and messages. */
    public static String redacted(String jdbcUrl) {
        return jdbcUrl == null ? null : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
