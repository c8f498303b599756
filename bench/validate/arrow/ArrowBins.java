import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * Issue 25's "DuckDB parses, the JVM counts", measured: the query's rows come out as Arrow batches
 * (DuckDB's streaming result through the C data interface) and Java counts every INTEGER column's
 * keys, column-parallel on two threads; other columns only have their non-null values counted (the
 * cost of exporting them). Modes: bare, asis (aggregate SQL, one result row), arrow_keys (keys.sql),
 * arrow_all (all.sql). Prints wall and process CPU seconds and the load average per run. A third
 * argument sets DuckDB's {@code streaming_buffer_size} (default 976 KiB): how far the scan's threads
 * may run ahead of the consumer of a streaming result.
 */
public final class ArrowBins {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Keys are counted in an array this wide, offset by half: the bench's grids lie within about +-9,000. */
    private static final int SLOTS = 1 << 16;

    public static void main(String[] args) throws Exception {
        String[] modes = args[0].split(",");
        int rounds = Integer.parseInt(args[1]);
        String buffer = args.length > 2 ? args[2] : null;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                for (String mode : modes) {
                    run(mode, round, pool, buffer);
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void run(String mode, int round, ExecutorService pool, String buffer) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = connection.createStatement()) {
            statement.execute("SET threads = 2");
            statement.execute("SET preserve_insertion_order = false");
            statement.execute("SET memory_limit = '2GB'");
            if (buffer != null) {
                statement.execute("SET streaming_buffer_size = '" + buffer + "'");
            }
            java.util.Map<String, Long> threadsBefore = threadTicks();
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            String detail = mode.startsWith("arrow_")
                    ? count(statement, Files.readString(Path.of(mode.substring("arrow_".length()) + ".sql")), pool)
                    : aggregate(statement, Files.readString(Path.of(mode + ".sql")));
            double wall = (System.nanoTime() - start) / 1e9;
            double used = (OS.getProcessCpuTime() - cpu) / 1e9;
            System.out.printf(Locale.ROOT, "round %d %-10s wall %6.2f s  CPU %6.2f s  busiest threads %s  load %s  %s%n", round, mode,
                    wall, used, busiest(threadsBefore, threadTicks()), Files.readString(Path.of("/proc/loadavg")).split(" ")[0], detail);
        }
    }

    /**
     * CPU ticks per thread of this process (/proc/self/task): which threads did the work tells
     * whether a scan ran in parallel, whatever the machine's load does to the wall time.
     */
    private static java.util.Map<String, Long> threadTicks() throws java.io.IOException {
        java.util.Map<String, Long> ticks = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(task.getFileName().toString(), Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (java.io.IOException gone) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return ticks;
    }

    /** The three threads that used the most CPU between two samples, in seconds (100 ticks a second). */
    private static String busiest(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
        return after.entrySet().stream().map(e -> (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 100.0)
                .sorted(java.util.Comparator.reverseOrder()).limit(3).map(s -> String.format(Locale.ROOT, "%.2f", s))
                .collect(java.util.stream.Collectors.joining("/"));
    }

    private static String aggregate(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            int n = 0;
            while (rows.next()) {
                n++;
            }
            return n + " result rows";
        }
    }

    private static String count(Statement statement, String sql, ExecutorService pool) throws Exception {
        try (BufferAllocator allocator = new RootAllocator();
                ResultSet rows = statement.executeQuery(sql);
                ArrowReader reader = (ArrowReader) ((DuckDBResultSet) rows).arrowExportStream(allocator, 1 << 16)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            int columns = root.getFieldVectors().size();
            long[][] counts = new long[columns][SLOTS];
            long total = 0;
            while (reader.loadNextBatch()) {
                total += root.getRowCount();
                List<Future<?>> halves = new ArrayList<>();
                for (int half = 0; half < 2; half++) {
                    int first = half;
                    halves.add(pool.submit(() -> {
                        for (int column = first; column < columns; column += 2) {
                            countColumn(root.getVector(column), counts[column]);
                        }
                    }));
                }
                for (Future<?> half : halves) {
                    half.get();
                }
            }
            return total + " rows, " + columns + " columns";
        }
    }

    private static void countColumn(FieldVector vector, long[] counts) {
        if (vector instanceof IntVector keys) {
            int n = keys.getValueCount();
            for (int i = 0; i < n; i++) {
                if (!keys.isNull(i)) {
                    counts[(keys.get(i) + SLOTS / 2) & (SLOTS - 1)]++;
                }
            }
        } else {
            counts[0] += vector.getValueCount() - vector.getNullCount();
        }
    }
}
