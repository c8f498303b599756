package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.Sql;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lets the profiling scan count histograms and categories in the same pass as the statistics,
 * on a grid known before the scan (the reference profile's, or a sample's of the data itself),
 * instead of in a second scan whose grid needs the first scan's ranges.
 *
 * <p>Exact or nothing: after the scan, {@link #bins} and {@link #values} give a column's counts only
 * when they are provably the ones the second scan would have counted (the profile is then equal,
 * not close); otherwise it gives null and that column goes to the second scan. Numbers are binned
 * on the reference's power-of-two grid made {@value #FINER}x finer, within a band of
 * {@value #BAND_BINS} bins either side of the reference's range, so the groups stay bounded
 * whatever the data; because grids nest, coarsening those bins to the grid the data's own range
 * asks for gives exactly the second scan's bins. Text is counted for the reference's categories;
 * the values outside them are the column's values less those counted, and one new value (the
 * usual case: a new payment method) is known by their smallest and largest being equal.
 */
final class ReferenceGrid {
    /**
     * Bins this many times finer than the reference's, so that a current range down to about half
     * the reference's keeps its own resolution in the one scan. Not finer: DuckDB's histogram() is
     * an ordered map whose cost per value grows with its size (2,765 keys on the bench's prices at
     * 8x, 67 ns a value, against 36 ns at 358 keys), and a current range that narrow is one of a
     * small batch, whose second scan for that column costs little.
     */
    private static final int FINER_LOG2 = 1;
    static final int FINER = 1 << FINER_LOG2;
    /** Room either side of the reference's range: about four ranges on its 2x finer grid, eight on a sample's own. */
    static final int BAND_BINS = 8 * NumericHistogram.MAX_BINS;

    /**
     * Columns counted on the grid in one scan, at most: each histogram holds up to
     * {@code BAND_BINS * 3} bins per thread, so a very wide file keeps its memory budget by
     * counting the rest in the second scan, which runs in batches.
     */
    static final int MAX_COLUMNS = 128;

    private static final String PREFIX = "grid:";

    private record NumericGrid(int log2, long lo, long hi) {}

    private final Map<String, NumericGrid> numeric = new HashMap<>();
    private final Map<String, List<String>> categories = new HashMap<>();
    private final Set<String> nonFinite = new HashSet<>();

    private ReferenceGrid() {}

    static final ReferenceGrid NONE = new ReferenceGrid();

    /** The grid of {@code reference} for the columns that {@code columns} and it share. */
    static ReferenceGrid of(Profile reference, List<Profiler.Column> columns) {
        return of(reference, columns, FINER_LOG2);
    }

    /**
     * The grid of a sample of the data's own rows: the data's range holds the sample's, so its
     * grid is never finer and the sample's own bins suffice (fewer distinct bins make DuckDB's
     * histogram, an ordered map, cheaper per row).
     */
    static ReferenceGrid ofSample(Profile sample, List<Profiler.Column> columns) {
        return of(sample, columns, 0);
    }

    private static ReferenceGrid of(Profile reference, List<Profiler.Column> columns, int finerLog2) {
        ReferenceGrid grid = new ReferenceGrid();
        Map<String, ColumnProfile> before = reference.byName();
        for (Profiler.Column column : columns) {
            ColumnProfile ref = before.get(column.name());
            if (ref == null) {
                continue;
            }
            NumericHistogram histogram = ref.histogram();
            if (ref.nan() + ref.infinite() > 0) {
                grid.nonFinite.add(column.name());
            }
            if (column.type().isNumeric() && histogram != null && histogram.counts().length > 0) {
                grid.addNumeric(column, histogram.binWidthLog2() - finerLog2, histogram.lowerEdge(0), histogram.lowerEdge(histogram.counts().length));
            } else if (column.countable() && ref.categories() != null && !ref.categories().counts().isEmpty()
                    && grid.numeric.size() + grid.categories.size() < MAX_COLUMNS) {
                grid.categories.put(column.name(), List.copyOf(ref.categories().counts().keySet()));
            }
        }
        return grid;
    }

    /** Bins of width {@code 2^fine} over {@code [low, high]} and the band around it. */
    private void addNumeric(Profiler.Column column, int fine, double low, double high) {
        if (column.type() == ColumnType.INTEGER) {
            fine = Math.max(fine, 0); // integers never get bins narrower than 1
        }
        long lo = NumericHistogram.binIndex(low, fine) - BAND_BINS;
        long hi = NumericHistogram.binIndex(high, fine) + BAND_BINS;
        if (numeric.size() + categories.size() < MAX_COLUMNS
                && Double.isFinite(Math.scalb(1.0, -fine)) && Math.abs(lo) < 1L << 52 && Math.abs(hi) < 1L << 52) {
            numeric.put(column.name(), new NumericGrid(fine, lo, hi));
        }
    }

    boolean isEmpty() {
        return numeric.isEmpty() && categories.isEmpty();
    }

    /** Whether the reference had NaN or infinities in this column, so the current data likely has them too. */
    boolean expectsNonFinite(Profiler.Column column) {
        return nonFinite.contains(column.name());
    }

    /**
     * Whether the scan counts this column exactly on the grid, so that it needs no distinct
     * estimate (nor, for text, a blank count) of its own: text and booleans with the reference's
     * categories, and integers whose fine grid is one wide (each bin one value).
     */
    boolean countsExactly(Profiler.Column column) {
        NumericGrid grid = numeric.get(column.name());
        return categories.containsKey(column.name())
                || column.type() == ColumnType.INTEGER && grid != null && grid.log2 == 0;
    }

    /**
     * What the scan counts on the grid, per column: a name and the expression whose values are
     * counted (name to SQL; the counts of each are a value to count map, read back under the
     * name). Values outside the band count in no bin (the exact min and max then say so, see
     * {@link #bins}): a range test on the value itself is cheaper than clamping each bin index,
     * and it leaves out NaN and infinities too. Text is counted by its position in the
     * reference's category list, an integer per row where counting the text itself would hash
     * and copy every string.
     */
    Map<String, String> counted(List<Profiler.Column> columns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Profiler.Column column : columns) {
            NumericGrid grid = numeric.get(column.name());
            List<String> known = categories.get(column.name());
            if (grid != null && column.type() == ColumnType.INTEGER && grid.log2 == 0) {
                String c = column.sql();
                out.put(PREFIX + "bins:" + column.name(), "CASE WHEN " + c + " >= " + grid.lo + " AND " + c + " <= " + grid.hi
                        + " THEN " + c + " END");
            } else if (grid != null) {
                String d = column.asDouble();
                String low = Sql.doubleLiteral(Math.scalb((double) grid.lo, grid.log2));
                String high = Sql.doubleLiteral(Math.scalb((double) (grid.hi + 1), grid.log2));
                String bin = "CAST(floor(" + d + " * " + Sql.doubleLiteral(Math.scalb(1.0, -grid.log2)) + ") AS BIGINT)";
                out.put(PREFIX + "bins:" + column.name(), "CASE WHEN " + d + " >= " + low + " AND " + d + " < " + high
                        + " THEN " + bin + " END");
            } else if (known != null && column.type() == ColumnType.BOOLEAN) {
                out.put(PREFIX + "known:" + column.name(), column.sql());
            } else if (known != null) {
                out.put(PREFIX + "known:" + column.name(), position(column, known));
            }
        }
        return out;
    }

    /** Aggregates (name to SQL) that the statistics scan computes beside its own: the smallest and largest new text values. */
    Map<String, String> aggregates(List<Profiler.Column> columns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Profiler.Column column : columns) {
            List<String> known = categories.get(column.name());
            if (known != null && column.type() != ColumnType.BOOLEAN) {
                String fresh = "CASE WHEN " + position(column, known) + " IS NULL THEN " + column.sql() + " END";
                out.put(PREFIX + "new_min:" + column.name(), "min(" + fresh + ")");
                out.put(PREFIX + "new_max:" + column.name(), "max(" + fresh + ")");
            }
        }
        return out;
    }

    private static String position(Profiler.Column column, List<String> known) {
        return "list_position(" + Sql.list(known) + ", " + column.sql() + ")";
    }

    /** The scan's values without this grid's own aggregates. */
    static Map<String, Object> withoutGrid(Map<String, Object> values) {
        Map<String, Object> out = new HashMap<>(values);
        out.keySet().removeIf(name -> name.startsWith(PREFIX));
        return out;
    }

    /**
     * The bin counts (on the grid of {@code log2}) of a numeric column whose values are all finite
     * and lie in {@code [min, max]}, exactly as a GROUP BY on that grid counts them; null where the
     * one pass cannot give them exactly.
     */
    Map<Object, Long> bins(String column, Map<String, Object> values, int log2, double min, double max) {
        NumericGrid grid = numeric.get(column);
        if (grid == null || !values.containsKey(PREFIX + "bins:" + column)) {
            return null;
        }
        Map<?, ?> fine = (Map<?, ?>) values.get(PREFIX + "bins:" + column); // NULL: no value in the band
        if (log2 < grid.log2 || NumericHistogram.binIndex(min, grid.log2) < grid.lo || NumericHistogram.binIndex(max, grid.log2) > grid.hi) {
            return null; // finer than the fine grid, or values outside the band
        }
        long factor = 1L << Math.min(62, log2 - grid.log2);
        Map<Object, Long> out = new HashMap<>();
        if (fine != null) {
            fine.forEach((key, count) -> out.merge(Math.floorDiv(((Number) key).longValue(), factor), ((Number) count).longValue(), Long::sum));
        }
        return out;
    }

    /**
     * The exact range and moments of an integer column counted one by one in the band, where the
     * band held every one of its {@code nonNull} values; null otherwise (no grid, or values outside it).
     */
    NumericStats integerStats(String column, Map<String, Object> values, long nonNull) {
        NumericGrid grid = numeric.get(column);
        if (grid == null || grid.log2 != 0 || !(values.get(PREFIX + "bins:" + column) instanceof Map<?, ?> counted)) {
            return null;
        }
        Map<Long, Long> counts = new HashMap<>();
        counted.forEach((value, count) -> counts.put(((Number) value).longValue(), ((Number) count).longValue()));
        return counts.values().stream().mapToLong(Long::longValue).sum() == nonNull ? NumericStats.ofIntegerCounts(counts) : null;
    }

    /**
     * Every value's count of a text or boolean column with {@code nonNull} values; null where the
     * one pass cannot give them exactly (two or more values outside the reference's categories).
     */
    Map<Object, Long> values(String column, Map<String, Object> values, long nonNull) {
        List<String> known = categories.get(column);
        if (known == null) {
            return null;
        }
        Map<Object, Long> out = new HashMap<>();
        Map<?, ?> counts = (Map<?, ?>) values.get(PREFIX + "known:" + column);
        if (counts != null) {
            counts.forEach((key, count) -> out.put(key instanceof Boolean ? key.toString() : known.get(((Number) key).intValue() - 1),
                    ((Number) count).longValue()));
        }
        if (values.containsKey(PREFIX + "new_min:" + column)) {
            long fresh = nonNull - out.values().stream().mapToLong(Long::longValue).sum();
            Object smallest = values.get(PREFIX + "new_min:" + column);
            Object largest = values.get(PREFIX + "new_max:" + column);
            if (fresh > 0 && !smallest.equals(largest)) {
                return null; // two or more new values: only a GROUP BY counts each
            }
            if (fresh > 0) {
                out.put(smallest.toString(), fresh);
            }
        }
        return out;
    }
}
