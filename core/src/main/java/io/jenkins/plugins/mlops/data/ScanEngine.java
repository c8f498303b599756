package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.DuckDb;
import io.jenkins.plugins.mlops.io.DuckDbErrors;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * An in-process DuckDB database that runs mlops' aggregate queries over the user's files. Rows
 * never come into Java: each query returns one row of aggregates (or a few rows for a custom
 * check), however large the data.
 */
final class ScanEngine implements ProfileEngine {
    /** What one aggregate costs DuckDB whatever the rows: vectors for its inputs and state, about 30 KiB measured. */
    private static final long BYTES_PER_AGGREGATE = 32 << 10;
    /** What one grouping set costs, a hash table per thread, safely rounded up: 2,000 sets ran out of 2 GB on 2 threads. */
    private static final long BYTES_PER_GROUPING_SET_AND_THREAD = 4 << 20;

    /**
     * Logs each query's SQL at FINE, so that a benchmark can replay and vary exactly what the
     * profiler asks of DuckDB (bench/validate/bins_sql.py) instead of a copy that drifts from it.
     */
    private static final Logger LOG = Logger.getLogger(ScanEngine.class.getName());

    private final Connection connection;
    private final Path spillDirectory;
    private final EngineSettings settings;

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private ScanEngine(Connection connection, Path spillDirectory, EngineSettings settings) {
        this.connection = connection;
        this.spillDirectory = spillDirectory;
        this.settings = settings;
    }

    /**
     * How many aggregates one SELECT may hold: DuckDB's memory per query grows with the number of
     * expressions, not rows, so a file of 10,000 columns is scanned in several SELECTs within an
     * eighth of the memory limit rather than in one that runs out of it.
     */
    @Override
    public int aggregatesPerScan() {
        return (int) Math.max(256, settings.memoryLimitBytes() / 8 / BYTES_PER_AGGREGATE);
    }

    /** How many grouping sets one GROUP BY may hold, by the same reasoning; each costs memory per thread. */
    @Override
    public int groupingSetsPerScan() {
        return (int) Math.max(16, Math.min(1000, settings.memoryLimitBytes() / 4
                / (BYTES_PER_GROUPING_SET_AND_THREAD * settings.effectiveThreads())));
    }

    static ScanEngine open(EngineSettings settings) {
        return open(settings, false);
    }

    /** @param streamResults rows produced as they are read (see {@link DuckDb#open(String, int, boolean)}), for the arrow engine */
    static ScanEngine open(EngineSettings settings, boolean streamResults) {
        Path spill;
        try {
            spill = Files.createTempDirectory("mlops-duckdb-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spill directory for DuckDB", e);
        }
        try {
            Connection connection = DuckDb.open(settings.memoryLimit(), settings.effectiveThreads(), streamResults);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET temp_directory = " + Sql.literal(spill.toString()));
                // Aggregates need no row order; keeping it costs memory on large scans.
                statement.execute("SET preserve_insertion_order = false");
            }
            return new ScanEngine(connection, spill, settings);
        } catch (SQLException e) {
            deleteTree(spill);
            throw new InfrastructureException("cannot start DuckDB: " + e.getMessage(), e);
        }
    }

    /**
     * An engine for the user's own SQL: the view {@code view} over {@code source} is created
     * first, then the engine may read only the source's files and its spill directory, may load
     * no extension, and its configuration is locked, so no statement can undo any of it.
     */
    static ScanEngine sandboxed(EngineSettings settings, String view, DataSource source) {
        ScanEngine engine = open(settings);
        try (Statement statement = engine.connection.createStatement()) {
            statement.execute("CREATE VIEW " + Sql.identifier(view) + " AS SELECT * FROM " + source.relation());
            // A reader checks the pattern it was given and the file the pattern matched: both are allowed.
            List<String> allowed = source.files().stream().map(f -> f.toAbsolutePath().toString())
                    .flatMap(f -> Stream.of(f, Sql.globEscaped(f))).distinct().toList();
            statement.execute("SET allowed_paths = " + Sql.list(allowed));
            statement.execute("SET allowed_directories = " + Sql.list(List.of(engine.spillDirectory.toString() + "/")));
            statement.execute("SET autoinstall_known_extensions = false");
            statement.execute("SET autoload_known_extensions = false");
            statement.execute("SET allow_community_extensions = false");
            statement.execute("SET enable_external_access = false");
            statement.execute("SET lock_configuration = true");
            return engine;
        } catch (SQLException e) {
            engine.close();
            throw new InfrastructureException("cannot set up the sandbox for custom SQL checks: " + e.getMessage(), e);
        }
    }

    /** Runs a query over {@code source}; errors about the data become {@code BadInputException}. */
    <T> T query(String sql, DataSource source, RowReader<T> reader) {
        LOG.log(Level.FINE, "query: {0}", sql);
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return reader.read(rows);
        } catch (SQLException e) {
            throw DuckDbErrors.translate(e, source.path(), source.files(), source.format(), source.delimiter());
        }
    }

    @Override
    public DataSource prepare(DataSource source) {
        return CsvSniffer.pin(this, IsoTimestamps.detect(this, source));
    }

    @Override
    public String relation(DataSource source) {
        return source.relation();
    }

    @Override
    public List<Profiler.Column> describe(DataSource source) {
        return query("DESCRIBE SELECT * FROM " + source.relation(), source, rows -> {
            List<Profiler.Column> columns = new ArrayList<>();
            while (rows.next()) {
                String type = rows.getString("column_type");
                columns.add(new Profiler.Column(rows.getString("column_name"), type, ColumnType.fromEngineType(type)));
            }
            return columns;
        });
    }

    @Override
    public List<Object[]> rows(String sql, DataSource source) {
        return query(sql, source, rows -> {
            int n = rows.getMetaData().getColumnCount();
            List<Object[]> out = new ArrayList<>();
            while (rows.next()) {
                Object[] values = new Object[n];
                for (int i = 0; i < n; i++) {
                    values[i] = rows.getObject(i + 1);
                }
                out.add(values);
            }
            return out;
        });
    }

    @Override
    public boolean countsOnKnownGrid() {
        return true;
    }

    @Override
    public String isFinite(String value) {
        return "isfinite(" + value + ")";
    }

    /**
     * The regex runs only on text that starts below '!' (empty, ASCII space or control characters) or
     * between U+00A0 and U+3000, where every other Zs character lies: two string comparisons for
     * most values instead of a regex on each, a third of the CPU. Zs is exactly what DuckDB's trim() strips.
     */
    @Override
    public String isBlank(String c) {
        return "(" + c + " < '!' OR " + c + " >= '\u00A0' AND " + c + " < '\u3001') AND regexp_full_match(" + c + ", '\\p{Zs}*')";
    }

    /** Binds a query without running it, so that a broken custom check is reported before any scan. */
    void prepare(String sql) throws SQLException {
        connection.prepareStatement(sql).close();
    }

    /** Runs a query whose errors are the user's (custom SQL), reported by the caller with the check's name. */
    <T> T queryUserSql(String sql, RowReader<T> reader) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return reader.read(rows);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new InfrastructureException("cannot close DuckDB: " + e.getMessage(), e);
        } finally {
            deleteTree(spillDirectory);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover spill directory in the temp folder is harmless; the scan's result is not.
        }
    }
}
