package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.util.List;

/**
 * What runs the profile's aggregate queries: DuckDB in this process ({@link ScanEngine}, the
 * default) or a Spark cluster through Spark Connect ({@link SparkConnectEngine}). The profiler
 * defines every aggregate once, in SQL both engines read; the few functions whose names or
 * semantics differ between the dialects come from here. Only aggregates travel back: one row per
 * statistics scan, a few hundred rows (bins and categories) per histogram scan, whatever the rows.
 */
interface ProfileEngine extends AutoCloseable {
    /** The engine for {@code settings}: Spark Connect where a remote is set, DuckDB (or DuckDB and Java over Arrow) otherwise. */
    static ProfileEngine open(EngineSettings settings) {
        if (EngineSettings.ARROW.equals(settings.engineName())) {
            return ArrowEngine.open(settings);
        }
        if (settings.sparkRemote() == null) {
            return ScanEngine.open(settings);
        }
        if (!SparkConnectEngine.clientPresent()) {
            throw new InfrastructureException("engine spark: the Spark Connect client is not on this JVM's class path"
                    + " (the mlops command line and Jenkins plugin bundle it: this build of them left it out)");
        }
        return SparkConnectEngine.connect(settings.sparkRemote());
    }

    /**
     * The source as this engine reads it: DuckDB pins a CSV file's sniffed columns and reads ISO
     * text in JSON lines as timestamps; Spark registers a view over the files.
     */
    DataSource prepare(DataSource source);

    /** The relation a query reads {@code source} from (a table function, or a view's name). */
    String relation(DataSource source);

    /** The source's columns, with the engine's type names mapped to DuckDB's (the profile's own). */
    List<Profiler.Column> describe(DataSource source);

    /** The rows of a query over {@code source}, each an array of its values; errors about the data become bad input. */
    List<Object[]> rows(String sql, DataSource source);

    int aggregatesPerScan();

    int groupingSetsPerScan();

    /**
     * Whether the profiler may count histograms on a grid known before the scan (the reference's, or
     * a sample's). It needs DuckDB's {@code histogram()} and {@code list_position}; the profile is the
     * same either way (see {@link ReferenceGrid}), so an engine without them runs the two scans.
     */
    boolean countsOnKnownGrid();

    /** A condition true for finite doubles only (not NaN, not infinite). */
    String isFinite(String value);

    /** A condition true for text made only of Unicode space separators (Zs), the empty string included. */
    String isBlank(String text);

    @Override
    void close();
}
