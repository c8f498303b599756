package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.DuckDb;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How much of the machine a scan may use. DuckDB's own default (80% of RAM) suits a laptop but
 * not a shared CI agent, so the default is a fixed budget: aggregates beyond it spill to disk,
 * so memory stays flat however many rows the data has.
 *
 * @param memoryLimit DuckDB memory_limit, e.g. {@code 2GB}
 * @param threads worker threads; 0 means one per available processor
 * @param sparkRemote where a Spark Connect server computes the profile instead ({@code sc://HOST:PORT}),
 *     or null for DuckDB in this process; the memory limit and threads are then DuckDB's, for custom SQL checks
 * @param engine what computes the profile: {@link #DUCKDB}, {@link #ARROW} (DuckDB parses, Java
 *     aggregates its Arrow batches) or {@link #SPARK}; null for duckdb, or spark where a remote is set
 */
public record EngineSettings(String memoryLimit, int threads, String sparkRemote, String engine) implements Serializable {
    /** Spark Connect's connection string: sc://host[:port][/;param=value...]. */
    private static final Pattern SPARK_REMOTE = Pattern.compile("sc://[^/:;\\s]+(:\\d{1,5})?(/(;[^;=\\s]+=[^;\\s]*)*)?");
    private static final Pattern SIZE = Pattern.compile("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", Pattern.CASE_INSENSITIVE);

    /** More scan threads than this only contend; no CI agent has more processors to run them on. */
    public static final int MAX_THREADS = 256;

    public static final EngineSettings DEFAULT = new EngineSettings(DuckDb.DEFAULT_MEMORY_LIMIT, 0);

    public static final String DUCKDB = "duckdb";
    public static final String SPARK = "spark";
    public static final String ARROW = "arrow";

    public EngineSettings(String memoryLimit, int threads) {
        this(memoryLimit, threads, null);
    }

    public EngineSettings(String memoryLimit, int threads, String sparkRemote) {
        this(memoryLimit, threads, sparkRemote, null);
    }

    /**
     * The settings the command line names: {@code --engine duckdb} (the default), {@code --engine arrow},
     * or {@code --engine spark} with {@code --spark-remote sc://HOST:PORT}.
     *
     * @param engine the engine's name, or null for DuckDB
     */
    public static EngineSettings of(String memoryLimit, int threads, String engine, String sparkRemote) {
        String name = engine == null ? DUCKDB : engine.strip().toLowerCase(java.util.Locale.ROOT);
        if (name.equals(DUCKDB) || name.equals(ARROW)) {
            if (sparkRemote != null) {
                throw new BadInputException("--spark-remote: only with --engine spark");
            }
            return new EngineSettings(memoryLimit, threads, null, name);
        }
        if (!name.equals(SPARK)) {
            throw new BadInputException("--engine: '" + engine + "' is not an engine; use " + DUCKDB + " (the default), " + ARROW + " or " + SPARK);
        }
        if (sparkRemote == null || sparkRemote.isBlank()) {
            throw new BadInputException("--engine spark: give the Spark Connect server with --spark-remote sc://HOST:PORT");
        }
        return new EngineSettings(memoryLimit, threads, sparkRemote.strip());
    }

    public EngineSettings {
        if (engine != null && (!List.of(DUCKDB, ARROW, SPARK).contains(engine) || engine.equals(SPARK) != (sparkRemote != null))) {
            // Only code builds these by hand; the command line and the step go through of().
            throw new BadInputException("engine '" + engine + "' with spark remote '" + sparkRemote + "': spark needs a remote, the others none");
        }
        if (sparkRemote != null && !SPARK_REMOTE.matcher(sparkRemote).matches()) {
            throw new BadInputException("--spark-remote: '" + sparkRemote + "' is not a Spark Connect address like sc://HOST:15002");
        }
        if (memoryLimit == null || !SIZE.matcher(memoryLimit.strip()).matches()) {
            throw new BadInputException("--memory-limit: '" + memoryLimit + "' is not a size like 512MB or 2GB");
        }
        if (threads < 0 || threads > MAX_THREADS) {
            // Each thread is an OS thread with its own stack and buffers: 100,000 exhaust the
            // agent's thread limit and memory long before a scan gets faster.
            throw new BadInputException("--threads: must be 0 (every processor) to " + MAX_THREADS + ", not " + threads);
        }
    }

    /** The engine's name, for messages and lineage. */
    public String engineName() {
        if (engine != null) {
            return engine;
        }
        return sparkRemote == null ? DUCKDB : SPARK;
    }

    /** The memory limit in bytes, as DuckDB reads it (KB = 1000 bytes, KiB = 1024). */
    long memoryLimitBytes() {
        java.util.regex.Matcher size = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]+)", Pattern.CASE_INSENSITIVE).matcher(memoryLimit.strip());
        if (!size.matches()) {
            throw new IllegalStateException("checked in the constructor: " + memoryLimit);
        }
        String unit = size.group(2).toUpperCase(java.util.Locale.ROOT);
        double base = unit.contains("I") ? 1024 : 1000;
        int power = "BKMGT".indexOf(unit.charAt(0));
        return (long) (Double.parseDouble(size.group(1)) * Math.pow(base, power));
    }

    int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
