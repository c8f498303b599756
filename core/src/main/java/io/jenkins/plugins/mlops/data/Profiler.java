package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Profiles a dataset with DuckDB in two vectorised scans: the first computes counts, moments,
 * ranges and distinct estimates of every column at once; the second, whose histogram grids need
 * the ranges from the first, computes every histogram and category count at once. Where a grid
 * is known before the scan (the reference's, see {@link ReferenceGrid}), the first scan counts
 * them too and the second is skipped, or runs only for the columns off that grid.
 * No row ever reaches Java.
 */
final class Profiler {
    /**
     * A unique column is an ID when HyperLogLog counts this share of distinct values. DuckDB's
     * estimate runs up to about 10% low on sequential keys; a string column this diverse is no
     * category either, and integers must also be named or packed like keys (see isIdLike).
     */
    private static final double ID_DISTINCT_RATIO = 0.8;
    private static final Pattern ID_NAME = Pattern.compile("(?i).*(^|_|\\b)(id|key|uuid|guid)$|.*[a-z]Id$");

    /** The second scan's key for NaN in a float column's grouping set; no bin index comes near it. */
    private static final long NAN_KEY = ReferenceGrid.NAN_KEY;

    private final ScanEngine engine;
    private final Consumer<String> progress;

    Profiler(ScanEngine engine, Consumer<String> progress) {
        this.engine = engine;
        this.progress = progress;
    }

    record Column(String name, String engineType, ColumnType type) {
        String sql() {
            return Sql.identifier(name);
        }

        String asDouble() {
            return "CAST(" + sql() + " AS DOUBLE)";
        }
    }

    /**
     * What a caller needs besides the profile, computed in the same scans.
     *
     * @param aggregates more aggregates (name to SQL) for the first scan, e.g. rows out of range
     * @param valueCounts columns whose every value should be counted, e.g. to find new categories
     */
    record Extras(Map<String, String> aggregates, Set<String> valueCounts) {
        static final Extras NONE = new Extras(Map.of(), Set.of());
    }

    /**
     * A profile, the values of the extra aggregates, and the complete value counts of the asked-for
     * columns that the second scan could count (at most about {@link CategoryCounts#MAX_CATEGORIES}
     * distinct values; a column with more is absent, its caller must aggregate it another way).
     */
    record Scan(Profile profile, Map<String, Object> extras, Map<String, Map<String, Long>> valueCounts) {}

    /**
     * The profile, without its fingerprint: the caller hashes the files on another thread. In two
     * scans: a grid guessed from a sample of first rows cost more CPU than the second scan saved.
     */
    Profile profile(DataSource source) {
        return profile(source, columns -> Extras.NONE).profile();
    }

    /** In two scans: statistics, then histograms and categories on the grid the statistics give. */
    Scan profile(DataSource source, Function<List<Column>, Extras> extras) {
        return profile(source, extras, columns -> ReferenceGrid.NONE);
    }

    /**
     * @param grids given the data's columns, histogram grids and categories known before the scan
     *     (the reference's, when profiling the current data), so that the histograms and
     *     categories are counted in the statistics scan itself: one scan instead of two, with the
     *     same profile (see {@link ReferenceGrid})
     */
    Scan profile(DataSource source, Function<List<Column>, Extras> extras, Function<List<Column>, ReferenceGrid> grids) {
        List<Column> columns = describe(source);
        String relation = source.relation();
        Stopwatch clock = Stopwatch.start();
        Extras wanted = extras.apply(columns);
        ReferenceGrid grid = grids.apply(columns);
        progress.accept(String.format(Locale.ROOT, "scanning %s (%s, %s): statistics%s", source.path(), files(source),
                megabytes(source.bytes()), grid.isEmpty() ? "" : ", histograms and categories on a known grid"));
        Map<String, String> aggregates = new LinkedHashMap<>(wanted.aggregates());
        aggregates.putAll(grid.aggregates(columns));
        FirstPass first = firstPass(columns, aggregates, relation, source);
        if (first.rows == 0) {
            throw new BadInputException(source.path() + ": no data rows" + (source.format().isDelimited() ? " (only a header)" : ""));
        }
        progress.accept(String.format(Locale.ROOT, "scanned %,d rows in %s", first.rows, clock.elapsed()));
        Map<String, Map<String, Long>> valueCounts = new HashMap<>();
        List<ColumnProfile> profiles = secondPass(columns, first, grid, wanted.valueCounts(), valueCounts, relation, source);
        progress.accept(String.format(Locale.ROOT, "profiled %d columns in %s", columns.size(), clock.elapsed()));
        return new Scan(new Profile(Profile.SCHEMA, source.path(), null, first.rows, profiles),
                ReferenceGrid.withoutGrid(first.extras()), valueCounts);
    }

    /** One more scan for aggregates (name to SQL) that the profiling scans could not answer. */
    Map<String, Object> aggregate(DataSource source, Map<String, String> aggregates) {
        AggregateQuery query = new AggregateQuery();
        Map<String, Integer> slots = new LinkedHashMap<>();
        aggregates.forEach((name, sql) -> slots.put(name, query.add(sql)));
        String what = "scanning " + source.path() + " again for " + String.join(", ", aggregates.keySet());
        progress.accept(what);
        AggregateQuery.Row row = Heartbeat.during(what, progress,
                () -> query.run(engine, source.relation(), source));
        Map<String, Object> values = new HashMap<>();
        slots.forEach((name, slot) -> values.put(name, row.get(slot)));
        return values;
    }

    List<Column> describe(DataSource source) {
        return engine.query("DESCRIBE SELECT * FROM " + source.relation(), source, rows -> {
            List<Column> columns = new ArrayList<>();
            while (rows.next()) {
                String type = rows.getString("column_type");
                columns.add(new Column(rows.getString("column_name"), type, ColumnType.fromEngineType(type)));
            }
            return columns;
        });
    }

    /** Per column: the slots of its first-pass aggregates. */
    private record Slots(int nonNull, int finite, int min, int max, int mean, int variance, int empty, int distinct) {}

    private record FirstPass(long rows, Map<String, Slots> slots, AggregateQuery.Row row, Map<String, Object> extras) {}

    private FirstPass firstPass(List<Column> columns, Map<String, String> extraAggregates, String relation, DataSource source) {
        AggregateQuery query = new AggregateQuery();
        int rowsSlot = query.add("count(*)");
        Map<String, Slots> slots = new HashMap<>();
        for (Column column : columns) {
            String c = column.sql();
            int nonNull = query.add("count(" + c + ")");
            int finite = 0;
            int min = 0;
            int max = 0;
            int mean = 0;
            int variance = 0;
            int empty = 0;
            int distinct = 0;
            switch (column.type) {
                case INTEGER -> {
                    String d = column.asDouble();
                    min = query.add("min(" + d + ")");
                    max = query.add("max(" + d + ")");
                    mean = query.add("avg(" + d + ")");
                    variance = query.add("var_pop(" + d + ")");
                    distinct = query.add("approx_count_distinct(" + c + ")");
                }
                case FLOAT -> {
                    // NaN and infinities are kept out of moments and ranges by CASE, which DuckDB
                    // evaluates several times faster than FILTER clauses; how many of the
                    // non-finite values are NaN is counted in the second scan, and only when any exist.
                    String finiteValue = "CASE WHEN isfinite(" + column.asDouble() + ") THEN " + column.asDouble() + " END";
                    finite = query.add("count(" + finiteValue + ")");
                    min = query.add("min(" + finiteValue + ")");
                    max = query.add("max(" + finiteValue + ")");
                    mean = query.add("avg(" + finiteValue + ")");
                    variance = query.add("var_pop(" + finiteValue + ")");
                }
                case STRING -> {
                    // Blank = only Unicode space separators (Zs), exactly what DuckDB's trim() strips;
                    // the regex says so without building a trimmed copy of every string: half the CPU.
                    empty = query.add("count(CASE WHEN regexp_full_match(" + c + ", '\\p{Zs}*') THEN 1 END)");
                    distinct = query.add("approx_count_distinct(" + c + ")");
                }
                case BOOLEAN -> distinct = query.add("approx_count_distinct(" + c + ")");
                case DATE, TIMESTAMP -> {
                    min = query.add("CAST(min(" + c + ") AS VARCHAR)");
                    max = query.add("CAST(max(" + c + ") AS VARCHAR)");
                    distinct = query.add("approx_count_distinct(" + c + ")");
                }
                case OTHER -> { }
            }
            slots.put(column.name, new Slots(nonNull, finite, min, max, mean, variance, empty, distinct));
        }
        Map<String, Integer> extraSlots = new LinkedHashMap<>();
        extraAggregates.forEach((name, sql) -> extraSlots.put(name, query.add(sql)));
        AggregateQuery.Row row = Heartbeat.during("scanning " + source.path() + " for statistics", progress,
                () -> query.run(engine, relation, source));
        Map<String, Object> extras = new HashMap<>();
        extraSlots.forEach((name, slot) -> extras.put(name, row.get(slot)));
        return new FirstPass(row.asLong(rowsSlot), slots, row, extras);
    }

    /**
     * Histograms and category counts of every column in one scan: one GROUP BY per column as
     * GROUPING SETS, which DuckDB runs as parallel vectorised hash aggregates (several times
     * faster than its {@code histogram()} aggregate). The groups are bins and categories, so at
     * most {@link NumericHistogram#MAX_BINS} or {@link CategoryCounts#MAX_CATEGORIES} per column
     * come back, whatever the number of rows.
     */
    private List<ColumnProfile> secondPass(List<Column> columns, FirstPass first, ReferenceGrid grid, Set<String> countValuesOf,
            Map<String, Map<String, Long>> valueCounts, String relation, DataSource source) {
        Map<Integer, Map<Object, Long>> counted = new HashMap<>(); // by column index: what the first scan counted on the grid
        List<String> keys = new ArrayList<>();
        List<String> grouped = new ArrayList<>();
        Map<String, Integer> gridLog2 = new HashMap<>();
        Map<String, Partial> partials = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Partial partial = partial(column, first);
            partials.put(column.name, partial);
            String key = null;
            Map<Object, Long> onGrid = null;
            String d = column.asDouble();
            String nanKey = partial.nonFinite > 0 ? " WHEN isnan(" + d + ") THEN CAST(" + NAN_KEY + " AS BIGINT)" : "";
            if (partial.numeric != null && !partial.idLike) {
                int log2 = NumericHistogram.widthLog2For(partial.numeric.min(), partial.numeric.max(), column.type == ColumnType.INTEGER);
                gridLog2.put(column.name, log2);
                onGrid = grid.bins(column.name, first.extras, log2, partial.numeric.min(), partial.numeric.max());
                key = "CASE WHEN isfinite(" + d + ") THEN CAST(floor(" + d + " * " + Sql.doubleLiteral(Math.scalb(1.0, -log2)) + ") AS BIGINT)"
                        + nanKey + " END";
            } else if (!nanKey.isEmpty()) {
                onGrid = grid.nanOnly(column.name, first.extras);
                key = "CASE" + nanKey + " END"; // no finite value (or an ID): only NaN is counted
            } else if (isCategorical(column, partial) || countValuesOf.contains(column.name) && fewValues(column, partial)) {
                onGrid = grid.values(column.name, first.extras);
                key = "CAST(" + column.sql() + " AS VARCHAR)";
            }
            if (onGrid != null) {
                counted.put(i, onGrid);
                grouped.add(null);
            } else if (key != null) {
                keys.add(key);
                grouped.add("k" + keys.size());
            } else {
                grouped.add(null);
            }
        }
        if (!keys.isEmpty() && !grid.isEmpty()) {
            progress.accept(String.format(Locale.ROOT, "%d of %d columns off the known grid (new values, or a wider range): histograms and categories",
                    keys.size(), keys.size() + counted.size()));
        }
        Map<Integer, Map<Object, Long>> groups = keys.isEmpty() ? Map.of() : groups(keys, relation, source);
        List<ColumnProfile> profiles = new ArrayList<>();
        int keyIndex = 0;
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Partial p = partials.get(column.name);
            NumericHistogram histogram = null;
            CategoryCounts categories = null;
            long nan = 0;
            if (grouped.get(i) != null || counted.containsKey(i)) {
                Map<Object, Long> counts = new HashMap<>(counted.containsKey(i) ? counted.get(i) : groups.getOrDefault(keyIndex++, Map.of()));
                if (column.type.isNumeric()) {
                    Long nanCount = counts.remove(NAN_KEY);
                    nan = nanCount == null ? 0 : nanCount;
                }
                if (gridLog2.containsKey(column.name)) {
                    histogram = histogram(counts, gridLog2.get(column.name));
                } else if (!column.type.isNumeric()) {
                    Map<String, Long> byValue = new HashMap<>();
                    counts.forEach((value, count) -> byValue.put(value.toString(), count));
                    if (isCategorical(column, p)) {
                        categories = CategoryCounts.of(byValue);
                    }
                    if (countValuesOf.contains(column.name)) {
                        valueCounts.put(column.name, byValue); // complete: CategoryCounts keeps only the most frequent
                    }
                }
            }
            profiles.add(new ColumnProfile(column.name, column.type, column.engineType, first.rows, first.rows - p.nonNull,
                    nan, p.nonFinite - nan, p.empty, exactDistinct(histogram, categories, p.distinct), p.idLike, p.numeric, ColumnProfile.quantilesOf(histogram, p.numeric),
                    histogram, categories, p.minValue, p.maxValue));
        }
        return profiles;
    }

    /**
     * Where the second scan counted every value, the distinct count is exact: all categories
     * kept, or integer bins one wide. DuckDB's HyperLogLog is off by 10% even for 50 values.
     */
    private static Long exactDistinct(NumericHistogram histogram, CategoryCounts categories, Long estimate) {
        if (categories != null && categories.other() == 0) {
            return (long) categories.counts().size();
        }
        if (histogram != null && histogram.binWidthLog2() == 0 && estimate != null) {
            return java.util.Arrays.stream(histogram.counts()).filter(count -> count > 0).count();
        }
        return estimate;
    }

    /**
     * Key index to (bin or category to count); NULL keys (missing values, other sets) are skipped.
     * A very wide file is grouped in several scans: each grouping set costs memory of its own.
     */
    private Map<Integer, Map<Object, Long>> groups(List<String> keys, String relation, DataSource source) {
        int batch = engine.groupingSetsPerScan();
        Map<Integer, Map<Object, Long>> out = new HashMap<>();
        for (int from = 0; from < keys.size(); from += batch) {
            int offset = from;
            groupsInOneScan(keys.subList(from, Math.min(keys.size(), from + batch)), relation, source)
                    .forEach((index, counts) -> out.put(offset + index, counts));
        }
        return out;
    }

    private Map<Integer, Map<Object, Long>> groupsInOneScan(List<String> keys, String relation, DataSource source) {
        List<String> aliases = new ArrayList<>();
        List<String> aliased = new ArrayList<>();
        for (int i = 1; i <= keys.size(); i++) {
            aliases.add("k" + i);
            aliased.add(keys.get(i - 1) + " AS k" + i);
        }
        String sql = "SELECT " + String.join(", ", aliases) + ", count(*) AS n FROM (SELECT " + String.join(", ", aliased)
                + " FROM " + relation + ") GROUP BY GROUPING SETS (" + aliases.stream().map(a -> "(" + a + ")").collect(Collectors.joining(", ")) + ")";
        return Heartbeat.during("scanning " + source.path() + " for histograms and categories", progress, () -> engine.query(sql, source, rows -> {
            Map<Integer, Map<Object, Long>> out = new HashMap<>();
            while (rows.next()) {
                for (int i = 0; i < keys.size(); i++) {
                    Object value = rows.getObject(i + 1);
                    if (value != null) {
                        out.computeIfAbsent(i, k -> new HashMap<>()).put(value, rows.getLong(keys.size() + 1));
                        break;
                    }
                }
            }
            return out;
        }));
    }

    private record Partial(long nonNull, long nonFinite, long empty, Long distinct, boolean idLike,
            NumericStats numeric, String minValue, String maxValue) {}

    private Partial partial(Column column, FirstPass first) {
        Slots s = first.slots.get(column.name);
        AggregateQuery.Row row = first.row;
        long nonNull = row.asLong(s.nonNull);
        long finite = column.type == ColumnType.FLOAT ? row.asLong(s.finite) : nonNull;
        long nonFinite = nonNull - finite;
        Long distinct = s.distinct == 0 ? null : Math.min(nonNull, row.asLong(s.distinct));
        NumericStats numeric = null;
        String minValue = null;
        String maxValue = null;
        if (column.type.isNumeric() && finite > 0) {
            numeric = new NumericStats(finite, row.asDouble(s.min), row.asDouble(s.max), row.asDouble(s.mean),
                            Math.sqrt(Math.max(0, row.asDouble(s.variance))));
        } else if (column.type.isTemporal()) {
            minValue = row.asText(s.min);
            maxValue = row.asText(s.max);
        }
        boolean idLike = isIdLike(column, nonNull, distinct, numeric);
        return new Partial(nonNull, nonFinite, s.empty == 0 ? 0 : row.asLong(s.empty), distinct, idLike, numeric, minValue, maxValue);
    }

    /**
     * A key, not a measurement: integer or string, (nearly) every value distinct, and, for
     * integers, named like a key or filling its range densely like a sequence. Measurements such
     * as an integer income are unique in small samples too, but spread over a wide range.
     */
    static boolean isIdLike(Column column, long nonNull, Long distinct, NumericStats numeric) {
        if (distinct == null || nonNull < 2 || distinct < ID_DISTINCT_RATIO * nonNull) {
            return false;
        }
        if (column.type == ColumnType.STRING) {
            return true;
        }
        if (column.type != ColumnType.INTEGER) {
            return false;
        }
        boolean dense = numeric != null && numeric.max() - numeric.min() + 1 <= 2.0 * nonNull;
        return dense || ID_NAME.matcher(column.name).matches();
    }

    private static boolean isCategorical(Column column, Partial partial) {
        if (partial.idLike || partial.distinct == null) {
            return false;
        }
        return column.type == ColumnType.BOOLEAN
                || column.type == ColumnType.STRING && partial.distinct <= CategoryCounts.MAX_CATEGORIES;
    }

    /**
     * Values worth counting for a caller even where the profile keeps no categories (an ID-like
     * column of a few rows): a bounded number of groups, whatever the number of rows.
     */
    private static boolean fewValues(Column column, Partial partial) {
        return !column.type.isNumeric() && partial.distinct != null && partial.distinct <= CategoryCounts.MAX_CATEGORIES;
    }

    private static NumericHistogram histogram(Map<Object, Long> counts, int log2) {
        if (counts.isEmpty()) {
            return new NumericHistogram(log2, 0, new long[0]);
        }
        long first = counts.keySet().stream().mapToLong(k -> ((Number) k).longValue()).min().orElseThrow();
        long last = counts.keySet().stream().mapToLong(k -> ((Number) k).longValue()).max().orElseThrow();
        long[] bins = new long[(int) (last - first + 1)];
        counts.forEach((bin, count) -> bins[(int) (((Number) bin).longValue() - first)] += count);
        return new NumericHistogram(log2, first, bins);
    }

    private static String files(DataSource source) {
        return source.files().size() == 1 ? "1 file" : source.files().size() + " files";
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
