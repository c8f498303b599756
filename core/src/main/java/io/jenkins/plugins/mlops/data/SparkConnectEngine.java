package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.DataFormat;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.Messages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.DataFrameReader;
import org.apache.spark.sql.connect.SparkSession;
import org.apache.spark.sql.connect.client.RetryPolicy;
import org.apache.spark.sql.connect.client.SparkConnectClient;
import org.apache.spark.sql.types.StructField;
import scala.Option;

/**
 * The profile's aggregate queries on a Spark cluster through Spark Connect: Spark reads the files
 * where they are and sends back only the aggregates, so the table never passes through this JVM.
 * The session reads the profiler's SQL as DuckDB does: ANSI semantics, double-quoted identifiers,
 * timestamps without a time zone, in UTC.
 */
final class SparkConnectEngine implements ProfileEngine {
    private static final Logger LOG = Logger.getLogger(SparkConnectEngine.class.getName());

    /** Session settings that make Spark SQL read the profiler's SQL the way DuckDB does. */
    private static final Map<String, String> DIALECT = Map.of(
            "spark.sql.ansi.enabled", "true",
            "spark.sql.ansi.doubleQuotedIdentifiers", "true",
            "spark.sql.session.timeZone", "UTC",
            // CSV and JSON timestamps read as TIMESTAMP_NTZ, DuckDB's TIMESTAMP, not as instants in the session's zone.
            "spark.sql.timestampType", "TIMESTAMP_NTZ");

    /**
     * Spark has no limit on a SELECT's width that matters here, but its plans and generated code grow
     * with it: a few thousand aggregates per query keep planning well under a second.
     */
    private static final int AGGREGATES_PER_SCAN = 2000;
    /** Each grouping set multiplies the rows Spark's Expand feeds the shuffle: a hundred keep it bounded. */
    private static final int GROUPING_SETS_PER_SCAN = 100;

    /** Retries of a failed call: about 17 s of backoff in all, enough for a restart of the server's network, not of the server. */
    private static final Object RETRIES = 5;

    private final SparkSession spark;
    private final String remote;
    private final Map<List<java.nio.file.Path>, String> views = new HashMap<>();

    private SparkConnectEngine(SparkSession spark, String remote) {
        this.spark = spark;
        this.remote = remote;
    }

    /** A new session on the server at {@code remote}; an unreachable server is the infrastructure's failure (exit 3). */
    static SparkConnectEngine connect(String remote) {
        SparkSession spark;
        try {
            SparkConnectClient client = SparkConnectClient.builder().connectionString(remote).retryPolicy(retries()).build();
            spark = SparkSession.builder().client(client).create();
        } catch (Exception e) { // Scala throws SparkException, a checked exception, undeclared
            throw new InfrastructureException("cannot reach the Spark Connect server at " + remote + ": "
                    + Messages.firstLine(e.getMessage()), e);
        }
        try {
            DIALECT.forEach(spark.conf()::set); // the first call to the server: fails fast when it is not there
            return new SparkConnectEngine(spark, remote);
        } catch (Exception e) {
            closeQuietly(spark);
            throw new InfrastructureException("cannot reach the Spark Connect server at " + remote + ": "
                    + Messages.firstLine(e.getMessage()), e);
        }
    }

    /** Whether the Spark Connect client is on the class path: the command line and the Jenkins plugin bundle it. */
    static boolean clientPresent() {
        try {
            Class.forName("org.apache.spark.sql.connect.SparkSession", false, SparkConnectEngine.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The client's own policy (exponential backoff from 50 ms, times 4) cut to {@link #RETRIES} tries:
     * its default of 15 waits over ten minutes before it says that a server is not there.
     */
    private static RetryPolicy retries() {
        RetryPolicy p = RetryPolicy.defaultPolicy();
        return p.copy(Option.apply(RETRIES), p.initialBackoff(), p.maxBackoff(), p.backoffMultiplier(), p.jitter(),
                p.minJitterThreshold(), p.canRetry(), p.name(), p.recognizeServerRetryDelay(), p.maxServerRetryDelay());
    }

    /** Registers the files' view, or asks for the table's columns: an unknown table is bad input before any scan. */
    @Override
    public DataSource prepare(DataSource source) {
        if (source.format() == DataFormat.TABLE) {
            describe(source);
        } else {
            relation(source);
        }
        return source;
    }

    /** The table a {@code table:NAME} source names, or a temporary view over the source's files, registered in this session on first use. */
    @Override
    public String relation(DataSource source) {
        if (source.format() == DataFormat.TABLE) {
            return source.path().substring(DataSource.TABLE_PREFIX.length()); // identifiers only (DataSource checked it)
        }
        return views.computeIfAbsent(source.files(), files -> {
            String view = "mlops_data_" + (views.size() + 1);
            DataFrameReader reader = spark.read();
            switch (source.format()) {
                case CSV, TSV -> reader = reader.format("csv").option("header", "true").option("inferSchema", "true")
                        .option("sep", String.valueOf(source.delimiter())).option("mode", "FAILFAST")
                        // DuckDB and pandas write nan, inf and -inf, which DuckDB reads back; Spark's own words are
                        // NaN and Inf. Java's parser, which Spark falls back to, still reads NaN and Infinity.
                        .option("nanValue", "nan").option("positiveInf", "inf").option("negativeInf", "-inf");
                case PARQUET -> reader = reader.format("parquet");
                case JSON_LINES -> reader = reader.format("json").option("mode", "FAILFAST");
                case JSON_ARRAY -> reader = reader.format("json").option("multiLine", "true").option("mode", "FAILFAST");
                default -> throw new BadInputException(source.path() + ": Spark cannot read " + source.format());
            }
            String[] paths = files.stream().map(f -> f.toAbsolutePath().toString()).toArray(String[]::new);
            DataFrameReader ready = reader;
            run(source, () -> {
                ready.load(paths).createOrReplaceTempView(view);
                return null;
            });
            return view;
        });
    }

    @Override
    public List<Profiler.Column> describe(DataSource source) {
        String relation = relation(source);
        StructField[] fields = run(source, () -> spark.sql("SELECT * FROM " + relation).schema().fields());
        List<Profiler.Column> columns = new ArrayList<>();
        for (StructField field : fields) {
            String type = duckDbType(field.dataType().typeName());
            columns.add(new Profiler.Column(field.name(), type, ColumnType.fromEngineType(type)));
        }
        return columns;
    }

    /** Spark's type names as DuckDB's, so that profiles from either engine name types alike. */
    static String duckDbType(String spark) {
        return switch (spark) {
            case "byte" -> "TINYINT";
            case "short" -> "SMALLINT";
            case "integer" -> "INTEGER";
            case "long" -> "BIGINT";
            case "float" -> "FLOAT";
            case "double" -> "DOUBLE";
            case "string" -> "VARCHAR";
            case "boolean" -> "BOOLEAN";
            case "date" -> "DATE";
            case "timestamp" -> "TIMESTAMP WITH TIME ZONE";
            case "timestamp_ntz" -> "TIMESTAMP";
            case "binary" -> "BLOB";
            default -> spark.startsWith("decimal") ? spark.toUpperCase(Locale.ROOT)
                    : spark.startsWith("varchar") || spark.startsWith("char") ? "VARCHAR" : spark.toUpperCase(Locale.ROOT);
        };
    }

    @Override
    public List<Object[]> rows(String sql, DataSource source) {
        LOG.log(Level.FINE, "query: {0}", sql);
        List<Row> rows = run(source, () -> spark.sql(sql).collectAsList());
        List<Object[]> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Object[] values = new Object[row.length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.get(i);
            }
            out.add(values);
        }
        return out;
    }

    /**
     * Runs a call to the server. Spark's own errors about the data (a malformed row under FAILFAST,
     * a path it cannot read) are bad input; a lost connection is the infrastructure's.
     */
    private <T> T run(DataSource source, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (Exception e) { // Scala throws SparkException, a checked exception, undeclared
            String message = Messages.firstLine(e.getMessage());
            if (isUnreachable(e)) {
                throw new InfrastructureException("lost the Spark Connect server at " + remote + ": " + message, e);
            }
            if (String.valueOf(rootCause(e).getMessage()).contains("DirectByteBuffer")) {
                throw new InfrastructureException("the Spark Connect client reads results with Arrow, which needs this JVM started with"
                        + " --add-opens=java.base/java.nio=ALL-UNNAMED (the mlops jar's manifest has it; a Jenkins agent or"
                        + " controller takes it in its JVM options)", e);
            }
            if (isAboutTheData(message)) {
                throw new BadInputException(source.path() + ": Spark cannot read the data: " + message, e);
            }
            throw new InfrastructureException("Spark failed on " + source.path() + ": " + message, e);
        }
    }

    /**
     * Spark's errors about the files it reads: a malformed row or file (SQLSTATE class 22, data
     * exception, or KD, data source), a path it cannot find or read, a schema it cannot infer. Other
     * errors (class 42 would be SQL the profiler got wrong, but for a table that is not there) are not the user's to fix.
     */
    static boolean isAboutTheData(String message) {
        return message.contains("SQLSTATE: 22") || message.contains("SQLSTATE: KD") || message.contains("MALFORMED")
                || message.contains("PATH_NOT_FOUND") || message.contains("FAILED_READ_FILE") || message.contains("UNABLE_TO_INFER")
                || message.contains("TABLE_OR_VIEW_NOT_FOUND");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            if (text.startsWith("UNAVAILABLE") || text.startsWith("DEADLINE_EXCEEDED")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int aggregatesPerScan() {
        return AGGREGATES_PER_SCAN;
    }

    @Override
    public int groupingSetsPerScan() {
        return GROUPING_SETS_PER_SCAN;
    }

    @Override
    public boolean countsOnKnownGrid() {
        return false;
    }

    @Override
    public String isFinite(String value) {
        return "(NOT isnan(" + value + ") AND abs(" + value + ") < double('Infinity'))";
    }

    /** The same prefilter as DuckDB's (see {@link ScanEngine#isBlank}), then Java's regex, which Spark's rlike is. */
    @Override
    public String isBlank(String c) {
        return "(" + c + " < '!' OR " + c + " >= '\\u00A0' AND " + c + " < '\\u3001') AND " + c + " RLIKE '^\\\\p{Zs}*$'";
    }

    /** Releasing the session drops its views: one call, where dropping each view would be one each. */
    @Override
    public void close() {
        closeQuietly(spark);
    }

    /** Releasing a session asks the server: one that is gone cannot answer, and that must not hide why the step failed. */
    private static void closeQuietly(SparkSession spark) {
        try {
            spark.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "cannot release the Spark Connect session", e);
        }
    }
}
