package io.jenkins.plugins.mlops.ingest;

import io.jenkins.plugins.mlops.io.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * Streams a result set into a Parquet file in bounded memory: rows go through DuckDB's appender
 * into a table of an in-memory DuckDB database that spills past its memory limit to a temporary
 * directory beside the output (an on-disk database would also sync every checkpoint), then one COPY
 * writes the Parquet file. Everything is written under temporary names beside the output, so a
 * failure at any row leaves the previous file, or none, never a partial one.
 */
final class ParquetSink implements AutoCloseable {
    private static final String TABLE = "batch";
    private static final long PROGRESS_EVERY = 1_000_000;

    private final Path spill;
    private final Path parquet;
    private final DuckDBConnection duckDb;

    private ParquetSink(Path spill, Path parquet, DuckDBConnection duckDb) {
        this.spill = spill;
        this.parquet = parquet;
        this.duckDb = duckDb;
    }

    /** A sink whose temporary files sit beside {@code output}, hidden, in its directory. */
    static ParquetSink beside(Path output, String memoryLimit) throws SQLException {
        String stem = "." + output.getFileName() + "." + UUID.randomUUID();
        Path spill = output.resolveSibling(stem + ".spill");
        Path parquet = output.resolveSibling(stem + ".tmp.parquet");
        Connection connection = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
        ParquetSink sink = new ParquetSink(spill, parquet, connection.unwrap(DuckDBConnection.class));
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET memory_limit = " + Sql.literal(memoryLimit.strip()));
            statement.execute("SET temp_directory = " + Sql.fileLiteral(spill));
            // One writer thread: ingest is bound by the warehouse's rows arriving, not by DuckDB.
            statement.execute("SET threads = 1");
            statement.execute("SET preserve_insertion_order = true");
            statement.execute("SET enable_progress_bar = false");
        } catch (SQLException e) {
            sink.close();
            throw e;
        }
        return sink;
    }

    /**
     * Appends every row of {@code rows} and writes the Parquet file (temporary until {@link #moveTo}).
     *
     * @return the rows written and the columns as {@code name type}
     */
    Written write(ResultSet rows, LongConsumer progress) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        List<ColumnKind> kinds = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            ColumnKind kind = ColumnKind.of(meta.getColumnType(i));
            String name = meta.getColumnLabel(i);
            kinds.add(kind);
            columns.add(name + " " + kind.duckDbType());
            definitions.add(Sql.identifier(name) + " " + kind.duckDbType());
        }
        try (Statement statement = duckDb.createStatement()) {
            statement.execute("CREATE TABLE " + TABLE + " (" + String.join(", ", definitions) + ")");
        }
        long count = 0;
        try (DuckDBAppender appender = duckDb.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE)) {
            while (rows.next()) {
                appender.beginRow();
                for (int i = 0; i < kinds.size(); i++) {
                    kinds.get(i).copy(rows, i + 1, appender);
                }
                appender.endRow();
                if (++count % PROGRESS_EVERY == 0) {
                    progress.accept(count);
                }
            }
        }
        try (Statement statement = duckDb.createStatement()) {
            statement.execute("COPY " + TABLE + " TO " + Sql.fileLiteral(parquet) + " (FORMAT parquet, COMPRESSION zstd)");
        }
        return new Written(count, columns);
    }

    /** The temporary Parquet file, complete once {@link #write} returned. */
    Path parquet() {
        return parquet;
    }

    private static void delete(Path path) {
        try {
            if (Files.isDirectory(path)) {
                try (var files = Files.list(path)) {
                    for (Path file : files.toList()) {
                        delete(file);
                    }
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the temporary " + path, e);
        }
    }

    record Written(long rows, List<String> columns) {}

    @Override
    public void close() throws SQLException {
        try {
            duckDb.close();
        } finally {
            for (Path file : List.of(parquet, spill)) {
                delete(file);
            }
        }
    }
}
