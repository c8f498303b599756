package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.DuckDb;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * How much of the machine a scan may use. DuckDB's own default (80% of RAM) suits a laptop but
 * not a shared CI agent, so the default is a fixed budget: aggregates beyond it spill to disk,
 * so memory stays flat however many rows the data has.
 *
 * @param memoryLimit DuckDB memory_limit, e.g. {@code 2GB}
 * @param threads worker threads; 0 means one per available processor
 */
public record EngineSettings(String memoryLimit, int threads) implements Serializable {
    private static final Pattern SIZE = Pattern.compile("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", Pattern.CASE_INSENSITIVE);

    /** More scan threads than this only contend; no CI agent has more processors to run them on. */
    public static final int MAX_THREADS = 256;

    public static final EngineSettings DEFAULT = new EngineSettings(DuckDb.DEFAULT_MEMORY_LIMIT, 0);

    public EngineSettings {
        if (memoryLimit == null || !SIZE.matcher(memoryLimit.strip()).matches()) {
            throw new BadInputException("--memory-limit: '" + memoryLimit + "' is not a size like 512MB or 2GB");
        }
        if (threads < 0 || threads > MAX_THREADS) {
            // Each thread is an OS thread with its own stack and buffers: 100,000 exhaust the
            // agent's thread limit and memory long before a scan gets faster.
            throw new BadInputException("--threads: must be 0 (every processor) to " + MAX_THREADS + ", not " + threads);
        }
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
