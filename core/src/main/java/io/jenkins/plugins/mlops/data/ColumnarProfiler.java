package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The profile in one pass over DuckDB's Arrow batches ({@link ArrowEngine}), equal to the SQL
 * profiler's two-scan profile: the same counts, exact bins and categories, moments equal to the
 * last bits of a double, and distinct estimates of the same error but another hash (see
 * {@link ArrowColumn}). No grid is needed before the pass ({@link NestedHistogram}), so a reference
 * profile changes nothing here.
 *
 * <p>Column-parallel: each column belongs to one worker thread for the whole pass, the columns
 * spread over the workers by cost; DuckDB fills the next batch on the calling thread while the
 * workers aggregate the last ones, at most {@link #BATCHES_IN_FLIGHT} batches held at once.
 */
final class ColumnarProfiler {
    private static final int BATCHES_IN_FLIGHT = 3;

    private final ArrowEngine engine;
    private final Profiler profiler;
    private final Consumer<String> progress;

    ColumnarProfiler(ArrowEngine engine, Profiler profiler, Consumer<String> progress) {
        this.engine = engine;
        this.profiler = profiler;
        this.progress = progress;
    }

    Profiler.Scan profile(DataSource source, String relation, List<Profiler.Column> columns, Profiler.Extras wanted) {
        return finish(pass(source, relation, columns, wanted.distinctCounts()), wanted);
    }

    /**
     * The pass over the data, done; what is asked of it besides the profile ({@link Profiler.Extras})
     * only shapes {@link #finish}, so the pass may run before the schema that asks is known.
     */
    record Pass(DataSource source, List<Profiler.Column> columns, List<ArrowColumn> accumulators, long rows, Stopwatch clock) {}

    /**
     * Every column through the workers in one pass.
     *
     * @param exactDistinct the columns whose exact distinct count to keep ({@code unique: true});
     *     any other that {@link #finish} is asked for is counted by SQL in its extra scan
     */
    Pass pass(DataSource source, String relation, List<Profiler.Column> columns, Set<String> exactDistinct) {
        Stopwatch clock = Stopwatch.start();
        progress.accept(String.format(Locale.ROOT, "scanning %s (%s, %.1f MB): every statistic, bin and category in Java over Arrow batches",
                source.path(), source.files().size() == 1 ? "1 file" : source.files().size() + " files", source.bytes() / 1e6));
        List<ArrowColumn> accumulators = new ArrayList<>();
        for (Profiler.Column column : columns) {
            accumulators.add(ArrowColumn.of(column, exactDistinct.contains(column.name())));
        }
        long rows = Heartbeat.during("scanning " + source.path(), progress, () -> scan(source, relation, columns, accumulators));
        if (rows == 0) {
            throw new BadInputException(source.path() + ": no data rows" + (source.format().isDelimited() ? " (only a header)" : ""));
        }
        progress.accept(String.format(Locale.ROOT, "scanned %,d rows in %s", rows, clock.elapsed()));
        return new Pass(source, columns, accumulators, rows, clock);
    }

    /** The profile and the extras {@code wanted} from a finished pass. */
    Profiler.Scan finish(Pass pass, Profiler.Extras wanted) {
        DataSource source = pass.source();
        List<Profiler.Column> columns = pass.columns();
        List<ArrowColumn> accumulators = pass.accumulators();
        long rows = pass.rows();
        Stopwatch clock = pass.clock();
        Map<String, Map<String, Long>> valueCounts = new HashMap<>();
        Map<String, String[]> temporal = temporalRange(accumulators, source);
        List<ColumnProfile> profiles = new ArrayList<>();
        for (ArrowColumn accumulator : accumulators) {
            profiles.add(profile(accumulator, rows, temporal, wanted, valueCounts));
        }
        Map<String, Object> extras = new HashMap<>();
        Map<String, String> aggregates = new LinkedHashMap<>(wanted.aggregates());
        for (ArrowColumn accumulator : accumulators) {
            String name = accumulator.column.name();
            if (wanted.distinctCounts().contains(name)) {
                if (accumulator.exactDistinct() != null) {
                    extras.put(Profiler.DISTINCT_EXTRA + name, accumulator.exactDistinct());
                } else { // a pass begun before its schema was known (an inferred one asks none today): SQL counts it, as the duckdb engine does
                    aggregates.put(Profiler.DISTINCT_EXTRA + name, "count(DISTINCT " + accumulator.column.sql() + ")");
                }
            }
        }
        if (!aggregates.isEmpty()) {
            extras.putAll(profiler.aggregate(source, aggregates)); // what only SQL says (e.g. time of day): one more scan
        }
        progress.accept(String.format(Locale.ROOT, "profiled %d columns in %s", columns.size(), clock.elapsed()));
        return new Profiler.Scan(new Profile(Profile.SCHEMA, source.path(), null, rows, profiles), extras, valueCounts);
    }

    /** Streams the columns through the workers; returns the rows. */
    private long scan(DataSource source, String relation, List<Profiler.Column> columns, List<ArrowColumn> accumulators) {
        int[][] groups = groups(accumulators, Math.max(1, Math.min(engine.threads(), accumulators.size())));
        List<ExecutorService> workers = new ArrayList<>();
        for (int w = 0; w < groups.length; w++) {
            int index = w;
            workers.add(Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "mlops-arrow-" + index);
                thread.setDaemon(true);
                return thread;
            }));
        }
        Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] rows = {0};
        String select = "SELECT " + String.join(", ", columns.stream().map(Profiler.Column::sql).toList()) + " FROM " + relation;
        try {
            engine.stream(select, source, new ArrowEngine.Batches() {
                @Override
                public void accept(VectorSchemaRoot batch, BufferAllocator allocator) {
                    rethrow(failure);
                    rows[0] += batch.getRowCount();
                    inFlight.acquireUninterruptibly();
                    FieldVector[] vectors = new FieldVector[columns.size()];
                    for (int i = 0; i < vectors.length; i++) { // the workers own these; the next batch refills the root
                        var transfer = batch.getVector(i).getTransferPair(allocator);
                        transfer.transfer();
                        vectors[i] = (FieldVector) transfer.getTo();
                    }
                    AtomicInteger pending = new AtomicInteger(groups.length);
                    for (int w = 0; w < groups.length; w++) {
                        int[] group = groups[w];
                        workers.get(w).execute(() -> {
                            try {
                                for (int i : group) {
                                    if (failure.get() == null) {
                                        accumulators.get(i).add(vectors[i]);
                                    }
                                }
                            } catch (RuntimeException | Error e) {
                                failure.compareAndSet(null, e);
                            } finally {
                                for (int i : group) {
                                    vectors[i].close();
                                }
                                if (pending.decrementAndGet() == 0) {
                                    inFlight.release();
                                }
                            }
                        });
                    }
                }

                @Override
                public void finish() {
                    inFlight.acquireUninterruptibly(BATCHES_IN_FLIGHT); // every batch aggregated and its vectors closed
                    inFlight.release(BATCHES_IN_FLIGHT);
                }
            });
        } finally {
            workers.forEach(ExecutorService::shutdown);
            for (ExecutorService worker : workers) {
                try {
                    worker.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        rethrow(failure);
        return rows[0];
    }

    private static void rethrow(AtomicReference<Throwable> failure) {
        Throwable e = failure.get();
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
    }

    /** Column indexes per worker: the costliest columns first, each to the least loaded worker. */
    static int[][] groups(List<ArrowColumn> columns, int workers) {
        long[] load = new long[workers];
        List<List<Integer>> groups = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            groups.add(new ArrayList<>());
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> -columns.get(i).weight()).thenComparingInt(i -> i));
        for (int i : order) {
            int least = 0;
            for (int w = 1; w < workers; w++) {
                least = load[w] < load[least] ? w : least;
            }
            groups.get(least).add(i);
            load[least] += columns.get(i).weight();
        }
        return groups.stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    private ColumnProfile profile(ArrowColumn accumulator, long rows, Map<String, String[]> temporal, Profiler.Extras wanted,
            Map<String, Map<String, Long>> valueCounts) {
        Profiler.Column column = accumulator.column;
        long nonNull = accumulator.nonNull;
        long nan = 0;
        long infinite = 0;
        long empty = 0;
        Long distinct = null;
        boolean idLike = false;
        NumericStats numeric = null;
        NumericHistogram histogram = null;
        CategoryCounts categories = null;
        String minValue = null;
        String maxValue = null;
        Map<String, Long> byValue = null;
        if (accumulator instanceof ArrowColumn.Numeric n) {
            nan = n.nan;
            infinite = nonNull - n.finite - n.nan;
            if (n.finite > 0) {
                numeric = new NumericStats(n.finite, n.min, n.max, n.sum / n.finite, Math.sqrt(Math.max(0, n.m2 / n.finite)));
            }
            if (column.type() == ColumnType.INTEGER) {
                distinct = n.histogram.exact() ? distinctValues(n.histogram) : ArrowColumn.estimate(n.sketch);
                distinct = Math.min(nonNull, distinct);
                if (numeric != null) {
                    distinct = (long) Math.min(distinct, numeric.max() - numeric.min() + 1);
                }
                idLike = Profiler.isIdLike(column, nonNull, distinct, numeric);
            }
            if (numeric != null && !idLike) {
                int log2 = NumericHistogram.widthLog2For(numeric.min(), numeric.max(), column.type() == ColumnType.INTEGER);
                histogram = Profiler.histogram(n.histogram.on(log2), log2);
                if (histogram.binWidthLog2() == 0) {
                    // As the SQL profiler: bins one wide count every value, exactly, and give an integer's exact moments.
                    distinct = Arrays.stream(histogram.counts()).filter(count -> count > 0).count();
                    numeric = column.type() == ColumnType.INTEGER && histogram.total() > 0 ? NumericStats.ofIntegerCounts(histogram.countsByValue()) : numeric;
                }
            }
        } else if (accumulator instanceof ArrowColumn.Text t) {
            if (t.counts != null) {
                byValue = t.counts.byValue();
                distinct = (long) byValue.size();
                empty = ArrowColumn.Text.blanks(byValue);
            } else {
                distinct = Math.min(nonNull, ArrowColumn.estimate(t.sketch));
                empty = t.blanks;
            }
            idLike = Profiler.isIdLike(column, nonNull, distinct, null);
        } else if (accumulator instanceof ArrowColumn.Bool b) {
            byValue = b.byValue();
            distinct = (long) byValue.size();
        } else if (accumulator instanceof ArrowColumn.Temporal t) {
            distinct = Math.min(nonNull, ArrowColumn.estimate(t.sketch));
            String[] range = temporal.get(column.name());
            if (range != null) {
                minValue = range[0];
                maxValue = range[1];
            }
        }
        if (byValue != null) {
            if (!idLike && byValue.size() <= CategoryCounts.MAX_CATEGORIES) {
                categories = CategoryCounts.of(byValue);
            }
            if (wanted.valueCounts().contains(column.name())) {
                valueCounts.put(column.name(), byValue);
            }
        }
        return new ColumnProfile(column.name(), column.type(), column.engineType(), rows, rows - nonNull, nan, infinite, empty, distinct,
                idLike, numeric, ColumnProfile.quantilesOf(histogram, numeric), histogram, categories, minValue, maxValue);
    }

    private static long distinctValues(NestedHistogram histogram) {
        long[] n = {0};
        histogram.forEachValue((value, count) -> n[0]++);
        return n[0];
    }

    /**
     * The smallest and largest date or timestamp of each temporal column, as text in DuckDB's own
     * format (the SQL profiler's {@code CAST(min(c) AS STRING)}): one query of literals, no scan.
     */
    private Map<String, String[]> temporalRange(List<ArrowColumn> accumulators, DataSource source) {
        List<String> names = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (ArrowColumn accumulator : accumulators) {
            if (accumulator instanceof ArrowColumn.Temporal t && t.nonNull > 0) {
                names.add(t.column.name());
                expressions.add(formatted(t, t.min));
                expressions.add(formatted(t, t.max));
            }
        }
        Map<String, String[]> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        Object[] row = engine.rows("SELECT " + String.join(", ", expressions), source).get(0);
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), new String[] {(String) row[2 * i], (String) row[2 * i + 1]});
        }
        return out;
    }

    private static String formatted(ArrowColumn.Temporal column, long value) {
        if (column.unit == null) {
            return "CAST(DATE '1970-01-01' + CAST(" + value + " AS INTEGER) AS STRING)";
        }
        String type = column.column.engineType();
        String timestamp = switch (column.unit) {
            case NANOSECOND -> "make_timestamp_ns(" + value + ")";
            case MICROSECOND -> "make_timestamp(" + value + ")";
            case MILLISECOND -> "make_timestamp(" + Math.multiplyExact(value, 1000L) + ")";
            case SECOND -> "make_timestamp(" + Math.multiplyExact(value, 1_000_000L) + ")";
        };
        if (type.toUpperCase(Locale.ROOT).contains("TIME ZONE")) {
            timestamp = "(to_timestamp(0) + to_microseconds(" + micros(column.unit, value) + "))";
        }
        return "CAST(CAST(" + timestamp + " AS " + type + ") AS STRING)";
    }

    private static long micros(org.apache.arrow.vector.types.TimeUnit unit, long value) {
        return switch (unit) {
            case NANOSECOND -> Math.floorDiv(value, 1000L);
            case MICROSECOND -> value;
            case MILLISECOND -> Math.multiplyExact(value, 1000L);
            case SECOND -> Math.multiplyExact(value, 1_000_000L);
        };
    }

    /** The unit of a timestamp vector; null for dates (days). */
    static org.apache.arrow.vector.types.TimeUnit unit(FieldVector vector) {
        return vector instanceof TimeStampVector ? ((ArrowType.Timestamp) vector.getField().getType()).getUnit() : null;
    }
}
