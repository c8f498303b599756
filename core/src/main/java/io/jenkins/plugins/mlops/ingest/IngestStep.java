package io.jenkins.plugins.mlops.ingest;

import io.jenkins.plugins.mlops.data.DataSource;
import io.jenkins.plugins.mlops.data.Fingerprint;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.JdbcConnections;
import io.jenkins.plugins.mlops.io.PostgresReadOnly;
import io.jenkins.plugins.mlops.io.Redaction;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The {@code ingest} step: runs one parameterised SELECT against the warehouse in the read-only
 * sandbox the canary's SQL metrics use, streams its rows through a server-side cursor into a
 * Parquet file, and records the file's fingerprint, rows, query and values beside it
 * ({@code OUTPUT.lineage.json}) for registerModel. An empty result is a valid Parquet file with
 * the columns, and a warning: an empty window is worth a look, but not a crash.
 */
public final class IngestStep {
    private static final String QUERY_CANCELED = "57014";
    private static final String FIX = "; ingest as a role that can only SELECT the tables the query reads (docs/ingest.md)";

    private IngestStep() {}

    /**
     * @param credentials the warehouse's {@code user} and {@code password}, if it needs them
     * @param workspace what relative paths are relative to
     */
    public static IngestResult run(IngestParameters parameters, Properties credentials, Path workspace, Consumer<String> progress) {
        Instant started = Instant.now();
        long start = System.nanoTime();
        String password = credentials.getProperty("password");
        if (password != null) {
            Redaction.remember(password);
        }
        WarehouseQuery query = WarehouseQuery.of(parameters, workspace);
        Path output = workspace.resolve(parameters.output()).toAbsolutePath().normalize();
        checkOutput(parameters.output(), output);
        String warehouse = withoutCredentials(parameters.jdbcUrl());
        ParquetSink.Written written;
        String fingerprint;
        try (Connection connection = open(parameters, credentials, warehouse);
                ParquetSink sink = ParquetSink.beside(output, parameters.memoryLimit())) {
            try {
                written = select(connection, query, parameters, sink, progress);
            } finally {
                connection.rollback();
            }
            fingerprint = Fingerprint.of(DataSource.resolve(sink.parquet().toString()));
            // The old sidecar goes first: a crash between the two moves must not leave it naming other bytes.
            Files.deleteIfExists(IngestLineage.sidecar(output));
            AtomicFiles.move(sink.parquet(), output);
        } catch (SQLException e) {
            throw failure(e, warehouse, parameters.timeout());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + parameters.output() + ": " + e.getMessage(), e);
        }
        IngestLineage lineage = new IngestLineage(IngestLineage.SCHEMA, output.getFileName().toString(), fingerprint,
                written.rows(), written.columns(), query.text(), query.values(), warehouse, started);
        lineage.write(output);
        List<Check> checks = new ArrayList<>();
        checks.add(written.rows() == 0
                ? Check.of("rows", null, Status.WARN, 0L, "> 0", "the query returned no rows: " + parameters.output()
                        + " holds the columns and no rows")
                : Check.of("rows", null, Status.PASS, written.rows(), "> 0", written.rows() + " rows written"));
        Status status = written.rows() == 0 ? Status.WARN : Status.PASS;
        String summary = "Ingested " + written.rows() + " rows, " + written.columns().size() + " columns into "
                + parameters.output() + " (" + fingerprint + ")";
        return new IngestResult(IngestResult.SCHEMA, IngestResult.STEP, status, started, (System.nanoTime() - start) / 1e9,
                summary, checks, parameters.output(), IngestLineage.sidecar(Path.of(parameters.output())).toString(),
                written.rows(), written.columns(), fingerprint, query.text(), query.values());
    }

    private static ParquetSink.Written select(Connection connection, WarehouseQuery query, IngestParameters parameters,
            ParquetSink sink, Consumer<String> progress) throws SQLException {
        PostgresReadOnly.begin(connection, parameters.timeout(), "--jdbc-url", "the query");
        PostgresReadOnly.RoleReach.of(connection).refuseServerAccess("the warehouse user", FIX);
        PostgresReadOnly.requireOneStatement(connection, query.sql(), "--query", "ingest runs exactly one SELECT");
        // Forward-only, with a fetch size, outside autocommit: PgJDBC then reads through a cursor,
        // fetchSize rows at a time, instead of holding the whole result in memory.
        try (PreparedStatement statement = connection.prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize((int) parameters.fetchSize());
            query.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return sink.write(rows, n -> progress.accept(n + " rows written"));
            }
        }
    }

    private static Connection open(IngestParameters parameters, Properties credentials, String warehouse) {
        Properties properties = WarehouseCredentials.connectionProperties(credentials, "mlops-ingest");
        // --param values go as untyped text, so ':start' compares with a date or timestamp column as one.
        properties.put("stringtype", "unspecified");
        try {
            Connection connection = JdbcConnections.open(parameters.jdbcUrl(), properties);
            if (connection == null) {
                throw new BadInputException("--jdbc-url " + warehouse + ": no driver takes this URL");
            }
            return connection;
        } catch (SQLException e) {
            throw new InfrastructureException("cannot connect to the warehouse " + warehouse + ": "
                    + Redaction.redact(e.getMessage()), e);
        }
    }

    private static RuntimeException failure(SQLException e, String warehouse, Duration timeout) {
        String message = Redaction.redact(e.getMessage());
        if (e instanceof SQLTimeoutException || QUERY_CANCELED.equals(e.getSQLState())) {
            return new BadInputException("--query: ran longer than --timeout " + timeout.toSeconds() + " s: " + message, e);
        }
        if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
            return new InfrastructureException("the warehouse " + warehouse + " stopped answering: " + message, e);
        }
        return new BadInputException("--query: the warehouse refused the query (ingest runs exactly one SELECT): " + message, e);
    }

    private static void checkOutput(String given, Path output) {
        if (!given.endsWith(".parquet")) {
            throw new BadInputException("--output " + given + ": name a .parquet file");
        }
        Path dir = output.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException("--output " + given + ": the directory " + dir + " does not exist");
        }
        if (Files.isDirectory(output)) {
            throw new BadInputException("--output " + given + ": is a directory");
        }
    }

    /** The URL as it may be shown and recorded: without the query string, where user and password may be given. */
    static String withoutCredentials(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
