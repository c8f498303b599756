package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * DuckDB parses, Java aggregates (issue 25): the file is read by DuckDB exactly as {@link ScanEngine}
 * reads it (the same CSV sniffing and types), but instead of running the profile's aggregates in SQL,
 * its rows come out as Arrow record batches through the C data interface and {@link ColumnarProfiler}
 * computes every statistic, bin and category in one pass over them, column-parallel. DuckDB's
 * {@code histogram()} is an ordered-map insert per value (22-119 ns); a bin counted in Java costs a
 * multiply, a floor and an increment. Everything else (custom SQL, the rare scan the profile cannot
 * answer) is DuckDB's, through the engine this one wraps.
 */
final class ArrowEngine implements ProfileEngine {
    /**
     * Rows per Arrow batch: a few MB a batch keeps memory flat. 2,048 (DuckDB's vector) cost 0.4-0.5 CPU s
     * more on the bench's two files; 8,192 to 131,072 measured the same.
     */
    private static final long BATCH_ROWS = 1 << 15;

    private final ScanEngine duckdb;
    private final int threads;

    private ArrowEngine(ScanEngine duckdb, int threads) {
        this.duckdb = duckdb;
        this.threads = threads;
    }

    static ArrowEngine open(EngineSettings settings) {
        if (!arrowPresent()) {
            throw new InfrastructureException("engine arrow: Arrow Java is not on this JVM's class path (the Jenkins plugin does not"
                    + " bundle it; use engine duckdb, or run mlops validate-data --engine arrow)");
        }
        checkMemoryAccess();
        return new ArrowEngine(ScanEngine.open(settings, true), settings.effectiveThreads());
    }

    static boolean arrowPresent() {
        try {
            Class.forName("org.apache.arrow.c.Data", false, ArrowEngine.class.getClassLoader());
            Class.forName("org.apache.datasketches.hll.HllSketch", false, ArrowEngine.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * The C data interface wraps DuckDB's memory in direct byte buffers through a constructor of
     * java.nio that Java 17 opens only to {@code --add-opens=java.base/java.nio=ALL-UNNAMED}; without
     * it the export fails mid-query with an InvocationTargetException that names no cause. Checked
     * first, so the message says what to do.
     */
    private static void checkMemoryAccess() {
        try (BufferAllocator allocator = new RootAllocator(1 << 10); ArrowBuf buffer = allocator.buffer(8)) {
            MemoryUtil.directBuffer(buffer.memoryAddress(), 8);
        } catch (RuntimeException | LinkageError e) {
            throw new InfrastructureException("engine arrow: Arrow cannot use this JVM's memory (" + e.getMessage() + "); start Java with"
                    + " --add-opens=java.base/java.nio=ALL-UNNAMED (the mlops launcher does) or use --engine duckdb", e);
        }
    }

    /** Receives each batch of a streamed query; the batch's vectors are valid only during the call. */
    interface Batches {
        void accept(VectorSchemaRoot batch, BufferAllocator allocator) throws IOException;

        /** Called after the last batch, or on a failure, before the allocator closes: whatever holds its buffers must let go. */
        void finish();
    }

    /**
     * Streams the rows of {@code sql} as Arrow batches. DuckDB fills each batch on the calling thread
     * (its own worker threads parse ahead); an error in the data, raised while a batch is read, is
     * reported as DuckDB's own errors are: bad input, with the line.
     */
    void stream(String sql, DataSource source, Batches batches) {
        duckdb.query(sql, source, rows -> {
            try (BufferAllocator allocator = new RootAllocator();
                    ArrowReader reader = (ArrowReader) rows.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, BATCH_ROWS)) {
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                try {
                    while (reader.loadNextBatch()) {
                        batches.accept(root, allocator);
                    }
                } finally {
                    batches.finish();
                }
                return null;
            } catch (IOException e) {
                throw new SQLException(e.getMessage(), e);
            }
        });
    }

    int threads() {
        return threads;
    }

    /** The DuckDB engine underneath, for the aggregates only SQL answers (custom checks, the profile's rare extra scan). */
    ScanEngine duckdb() {
        return duckdb;
    }

    @Override
    public DataSource prepare(DataSource source) {
        return duckdb.prepare(source);
    }

    @Override
    public String relation(DataSource source) {
        return duckdb.relation(source);
    }

    @Override
    public List<Profiler.Column> describe(DataSource source) {
        return duckdb.describe(source);
    }

    @Override
    public List<Object[]> rows(String sql, DataSource source) {
        return duckdb.rows(sql, source);
    }

    @Override
    public int aggregatesPerScan() {
        return duckdb.aggregatesPerScan();
    }

    @Override
    public int groupingSetsPerScan() {
        return duckdb.groupingSetsPerScan();
    }

    /** Java counts every column in its one pass; no grid is needed before it. */
    @Override
    public boolean countsOnKnownGrid() {
        return false;
    }

    @Override
    public String isFinite(String value) {
        return duckdb.isFinite(value);
    }

    @Override
    public String isBlank(String text) {
        return duckdb.isBlank(text);
    }

    @Override
    public void close() {
        duckdb.close();
    }
}
