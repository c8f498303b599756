package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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

    /**
     * Text with at most this many distinct values (HyperLogLog, which errs by a few percent) is
     * counted exactly, so that whether it is categorical ({@link CategoryCounts#MAX_CATEGORIES}) and
     * whether it is a key are decided on exact counts, the same whether the counts come from the
     * one scan on a known grid or from the second scan.
     */
    private static final int COUNTED_TEXT = 2 * CategoryCounts.MAX_CATEGORIES;

    private final ProfileEngine engine;
    private final Consumer<String> progress;

    Profiler(ProfileEngine engine, Consumer<String> progress) {
        this.engine = engine;
        this.progress = progress;
    }

    record Column(String name, String engineType, ColumnType type) {
        /**
         * The column as SQL; text that DuckDB holds in another type (a Parquet UUID) is cast to
         * VARCHAR, so that every text function and comparison with a text literal applies to it,
         * as the arrow engine reads it as text.
         */
        String sql() {
            return type == ColumnType.STRING && !"VARCHAR".equalsIgnoreCase(engineType)
                    ? "CAST(" + Sql.identifier(name) + " AS VARCHAR)" : Sql.identifier(name);
        }

        String asDouble() {
            return "CAST(" + sql() + " AS DOUBLE)";
        }

        /** Text and booleans: columns whose values are counted one by one, as categories. */
        boolean countable() {
            return type == ColumnType.STRING || type == ColumnType.BOOLEAN;
        }
    }

    /**
     * What a caller needs besides the profile, computed in the same scans.
     *
     * @param aggregates more aggregates (name to SQL) for the first scan, e.g. rows out of range
     * @param valueCounts columns whose every value should be counted, e.g. to find new categories
     */
    record Extras(Map<String, String> aggregates, Set<String> valueCounts, Set<String> distinctCounts) {
        static final Extras NONE = new Extras(Map.of(), Set.of(), Set.of());

        /** The aggregates with each exact distinct count as SQL, under {@link #DISTINCT_EXTRA} and the column's name. */
        Map<String, String> withDistinctCounts(List<Column> columns) {
            Map<String, String> out = new LinkedHashMap<>(aggregates);
            columns.stream().filter(column -> distinctCounts.contains(column.name()))
                    .forEach(column -> out.put(DISTINCT_EXTRA + column.name(), "count(DISTINCT " + column.sql() + ")"));
            return out;
        }
    }

    /**
     * The extra value that holds a column's exact distinct count, as {@link Extras#distinctCounts}
     * asks: SQL's {@code count(DISTINCT c)}, or the arrow engine's own exact count.
     */
    static final String DISTINCT_EXTRA = "distinct:";

    /**
     * A profile, the values of the extra aggregates, and the complete value counts of the asked-for
     * columns that the second scan could count (at most about {@link CategoryCounts#MAX_CATEGORIES}
     * distinct values; a column with more is absent, its caller must aggregate it another way).
     */
    record Scan(Profile profile, Map<String, Object> extras, Map<String, Map<String, Long>> valueCounts) {}

    /** Rows of the sample whose profile gives the grid of a dataset profiled without a reference. */
    static final int SAMPLE_ROWS = 20_000;

    /**
     * The profile, without its fingerprint: the caller hashes the files on another thread. In one
     * scan where it can: the grid and categories of a sample of rows (a few milliseconds to profile)
     * are the known grid, so every column whose values the sample's band and categories cover is
     * counted in the statistics scan, and only the others (a range far wider than the sample's, two
     * or more values it did not see) go to the second scan. The profile is the two-scan one either way.
     */
    Profile profile(DataSource source) {
        return source.bytes() < SAMPLED_FROM_BYTES || !engine.countsOnKnownGrid() ? profile(source, columns -> Extras.NONE).profile() : profileOnSampleGrid(source);
    }

    /** Below this size two scans cost less than sampling, and the sample would be most of the data. */
    static final long SAMPLED_FROM_BYTES = 16L << 20;

    Profile profileOnSampleGrid(DataSource source) {
        return profile(source, columns -> Extras.NONE, columns -> sampleGrid(source, columns)).profile();
    }

    private ReferenceGrid sampleGrid(DataSource source, List<Column> columns) {
        String sample = "(SELECT * FROM " + source.relation() + " LIMIT " + SAMPLE_ROWS + ")";
        Profiler quiet = new Profiler(engine, line -> { });
        return ReferenceGrid.ofSample(quiet.profile(source, sample, columns, Extras.NONE, ReferenceGrid.NONE).profile(), columns);
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
        return profile(source, engine.relation(source), columns, extras.apply(columns), grids.apply(columns));
    }

    private Scan profile(DataSource source, String relation, List<Column> columns, Extras wanted, ReferenceGrid grid) {
        if (engine instanceof ArrowEngine arrow) {
            return new ColumnarProfiler(arrow, this, progress).profile(source, relation, columns, wanted);
        }
        Stopwatch clock = Stopwatch.start();
        Map<String, String> counted = grid.counted(columns);
        // Counted in the statistics scan, or, where a scan of a few columns costs little, in a
        // GROUP BY of their own: on Parquet, 0.19 s for the bench's 20 columns against 0.55 s
        // of histogram() inside the statistics scan.
        boolean countApart = source.format().isColumnar() && !counted.isEmpty();
        String onGrid = grid.isEmpty() ? "" : (countApart ? ", then" : ",") + " histograms and categories on a known grid";
        progress.accept(String.format(Locale.ROOT, "scanning %s (%s, %s): statistics%s", source.path(), files(source),
                megabytes(source.bytes()), onGrid));
        Map<String, String> aggregates = wanted.withDistinctCounts(columns);
        aggregates.putAll(grid.aggregates(columns));
        if (!countApart) {
            counted.forEach((name, key) -> aggregates.put(name, "histogram(" + key + ")"));
        }
        FirstPass first = firstPass(columns, aggregates, grid, relation, source);
        if (countApart) {
            first = first.withExtras(countedApart(counted, relation, source));
        }
        if (first.rows == 0) {
            throw new BadInputException(source.path() + ": no data rows" + (source.format().isDelimited() ? " (only a header)" : ""));
        }
        progress.accept(String.format(Locale.ROOT, "scanned %,d rows in %s", first.rows, clock.elapsed()));
        Map<String, Partial> partials = partials(columns, first, grid, relation, source);
        Map<String, Map<String, Long>> valueCounts = new HashMap<>();
        List<ColumnProfile> profiles = secondPass(columns, first, partials, grid, wanted.valueCounts(), valueCounts, relation, source);
        progress.accept(String.format(Locale.ROOT, "profiled %d columns in %s", columns.size(), clock.elapsed()));
        return new Scan(new Profile(Profile.SCHEMA, source.path(), null, first.rows, profiles),
                ReferenceGrid.withoutGrid(first.extras()), valueCounts);
    }

    /** One more scan for aggregates (name to SQL) that the profiling scans could not answer. */
    Map<String, Object> aggregate(DataSource source, Map<String, String> aggregates) {
        return aggregate(source, engine.relation(source), aggregates);
    }

    private Map<String, Object> aggregate(DataSource source, String relation, Map<String, String> aggregates) {
        AggregateQuery query = new AggregateQuery();
        Map<String, Integer> slots = new LinkedHashMap<>();
        aggregates.forEach((name, sql) -> slots.put(name, query.add(sql)));
        String what = "scanning " + source.path() + " again for " + String.join(", ", aggregates.keySet());
        progress.accept(what);
        AggregateQuery.Row row = Heartbeat.during(what, progress,
                () -> query.run(engine, relation, source));
        Map<String, Object> values = new HashMap<>();
        slots.forEach((name, slot) -> values.put(name, row.get(slot)));
        return values;
    }

    List<Column> describe(DataSource source) {
        return engine.describe(source);
    }

    /** Per column: the slots of the first-pass aggregates every column of its type gets (0: none). */
    private record Slots(int nonNull, int min, int max, int mean, int variance) {}

    /**
     * @param estimates the aggregates a column gets only where the profile can need them (see
     *     {@link #finiteMoments}, {@link #textEstimates}, {@link #distinctEstimate}), by name
     */
    private record FirstPass(long rows, Map<String, Slots> slots, AggregateQuery.Row row, Map<String, Object> extras,
            Map<String, Object> estimates) {
        FirstPass withExtras(Map<String, Object> more) {
            Map<String, Object> all = new HashMap<>(extras);
            all.putAll(more);
            return new FirstPass(rows, slots, row, all, estimates);
        }
    }

    /**
     * The grid's counts (name to key expression) as histogram() would give them: each name to
     * its value counts, or to null where no row had a value to count.
     */
    private Map<String, Object> countedApart(Map<String, String> counted, String relation, DataSource source) {
        List<String> names = new ArrayList<>(counted.keySet());
        Map<Integer, Map<Object, Long>> groups = groups(new ArrayList<>(counted.values()), relation, source);
        Map<String, Object> out = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), groups.get(i));
        }
        return out;
    }

    /**
     * Counts, ranges, moments, blanks and distinct estimates of every column in one SELECT, each
     * aggregate only where the profile can need it: the per-row cost of DuckDB's HyperLogLog, of a
     * regex or of a CASE is several times that of a count, so what the known grid counts exactly
     * (text on the reference's categories, narrow integers) gets neither, and floats are summed as
     * they are, NaN and infinities being rare enough to be handled by one more scan ({@link #partials}).
     */
    private FirstPass firstPass(List<Column> columns, Map<String, String> extraAggregates, ReferenceGrid grid, String relation,
            DataSource source) {
        AggregateQuery query = new AggregateQuery();
        int rowsSlot = query.add("count(*)");
        Map<String, Slots> slots = new HashMap<>();
        Map<String, String> estimates = new LinkedHashMap<>();
        for (Column column : columns) {
            String c = column.sql();
            int nonNull = query.add("count(" + c + ")");
            int min = 0;
            int max = 0;
            int mean = 0;
            int variance = 0;
            switch (column.type) {
                case INTEGER -> {
                    // Counted one by one on the grid, an integer's range and moments are read off
                    // its counts, exactly (see partials): four aggregates fewer per row, a seventh
                    // of the bench's profile scan.
                    if (!grid.countsExactly(column) || ID_NAME.matcher(column.name).matches()) {
                        estimates.putAll(integerMoments(column));
                        estimates.putAll(distinctEstimate(column));
                    }
                }
                case FLOAT -> {
                    if (grid.expectsNonFinite(column)) {
                        // Where the reference had NaN or infinities, the current data will too.
                        estimates.putAll(finiteMoments(column));
                    } else {
                        String d = column.asDouble();
                        min = query.add("min(" + d + ")");
                        max = query.add("max(" + d + ")");
                        mean = query.add("avg(" + d + ")");
                        // DuckDB's var_pop fails on infinities rather than returning them.
                        variance = query.add("var_pop(" + finiteValue(column) + ")");
                    }
                }
                case STRING -> {
                    if (!grid.countsExactly(column)) {
                        estimates.putAll(textEstimates(column));
                    }
                }
                case DATE, TIMESTAMP -> {
                    min = query.add("CAST(min(" + c + ") AS STRING)");
                    max = query.add("CAST(max(" + c + ") AS STRING)");
                    estimates.putAll(distinctEstimate(column));
                }
                case BOOLEAN, OTHER -> { } // booleans are always counted as categories
            }
            slots.put(column.name, new Slots(nonNull, min, max, mean, variance));
        }
        Map<String, Integer> extraSlots = new LinkedHashMap<>();
        extraAggregates.forEach((name, sql) -> extraSlots.put(name, query.add(sql)));
        Map<String, Integer> estimateSlots = new LinkedHashMap<>();
        estimates.forEach((name, sql) -> estimateSlots.put(name, query.add(sql)));
        AggregateQuery.Row row = Heartbeat.during("scanning " + source.path() + " for statistics", progress,
                () -> query.run(engine, relation, source));
        return new FirstPass(row.asLong(rowsSlot), slots, row, values(row, extraSlots), values(row, estimateSlots));
    }

    private static Map<String, Object> values(AggregateQuery.Row row, Map<String, Integer> slots) {
        Map<String, Object> values = new HashMap<>();
        slots.forEach((name, slot) -> values.put(name, row.get(slot)));
        return values;
    }

    private String finiteValue(Column column) {
        return "CASE WHEN " + engine.isFinite(column.asDouble()) + " THEN " + column.asDouble() + " END";
    }

    /** A float's finite values (count, range, moments) and its NaN count. */
    private Map<String, String> finiteMoments(Column column) {
        String finite = finiteValue(column);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("finite:" + column.name, "count(" + finite + ")");
        out.put("nan:" + column.name, "count(CASE WHEN isnan(" + column.asDouble() + ") THEN 1 END)");
        out.put("min:" + column.name, "min(" + finite + ")");
        out.put("max:" + column.name, "max(" + finite + ")");
        out.put("mean:" + column.name, "avg(" + finite + ")");
        out.put("variance:" + column.name, "var_pop(" + finite + ")");
        return out;
    }

    /** An integer's range and moments, where its values are not counted one by one. */
    private static Map<String, String> integerMoments(Column column) {
        String d = column.asDouble();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("min:" + column.name, "min(" + d + ")");
        out.put("max:" + column.name, "max(" + d + ")");
        out.put("mean:" + column.name, "avg(" + d + ")");
        out.put("variance:" + column.name, "var_pop(" + d + ")");
        return out;
    }

    /** Blanks and a distinct estimate of text whose values nothing counts one by one. */
    private Map<String, String> textEstimates(Column column) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("empty:" + column.name, "count(CASE WHEN " + engine.isBlank(column.sql()) + " THEN 1 END)");
        out.putAll(distinctEstimate(column));
        return out;
    }

    private static Map<String, String> distinctEstimate(Column column) {
        return Map.of("distinct:" + column.name, "approx_count_distinct(" + column.sql() + ")");
    }

    /**
     * Histograms and category counts of every column in one scan: one GROUP BY per column as
     * GROUPING SETS, which DuckDB runs as parallel vectorised hash aggregates (several times
     * faster than its {@code histogram()} aggregate). The groups are bins and categories, so at
     * most {@link NumericHistogram#MAX_BINS} or {@link #COUNTED_TEXT} per column come back,
     * whatever the number of rows.
     */
    private List<ColumnProfile> secondPass(List<Column> columns, FirstPass first, Map<String, Partial> partials, ReferenceGrid grid,
            Set<String> countValuesOf, Map<String, Map<String, Long>> valueCounts, String relation, DataSource source) {
        Map<Integer, Map<Object, Long>> counted = new HashMap<>(); // by column index: what the first scan counted on the grid
        List<String> keys = new ArrayList<>();
        Set<Integer> grouped = new HashSet<>(); // column indexes that the second scan counts
        Map<String, Integer> gridLog2 = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Partial partial = partials.get(column.name);
            String key = null;
            Map<Object, Long> onGrid = null;
            String d = column.asDouble();
            if (partial.numeric != null && !partial.idLike) {
                int log2 = NumericHistogram.widthLog2For(partial.numeric.min(), partial.numeric.max(), column.type == ColumnType.INTEGER);
                gridLog2.put(column.name, log2);
                onGrid = grid.bins(column.name, first.extras, log2, partial.numeric.min(), partial.numeric.max());
                key = "CASE WHEN " + engine.isFinite(d) + " THEN CAST(floor(" + d + " * " + Sql.doubleLiteral(Math.scalb(1.0, -log2)) + ") AS BIGINT) END";
            } else if (partial.counts != null) {
                onGrid = partial.counts;
            } else if (column.countable() && partial.distinct != null && partial.distinct <= COUNTED_TEXT || column.type == ColumnType.BOOLEAN) {
                key = "CAST(" + column.sql() + " AS STRING)";
            }
            if (onGrid != null) {
                counted.put(i, onGrid);
            } else if (key != null) {
                keys.add(key);
                grouped.add(i);
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
            long empty = p.empty;
            Long distinct = p.distinct;
            boolean idLike = p.idLike;
            if (grouped.contains(i) || counted.containsKey(i)) {
                Map<Object, Long> counts = new HashMap<>(counted.containsKey(i) ? counted.get(i) : groups.getOrDefault(keyIndex++, Map.of()));
                if (gridLog2.containsKey(column.name)) {
                    histogram = histogram(counts, gridLog2.get(column.name));
                } else if (!column.type.isNumeric()) {
                    Map<String, Long> byValue = new HashMap<>();
                    counts.forEach((value, count) -> byValue.put(value.toString(), count));
                    // Every value counted: the distinct count, keys and blanks are exact.
                    distinct = (long) byValue.size();
                    idLike = isIdLike(column, p.nonNull, distinct, p.numeric);
                    empty = column.type == ColumnType.STRING ? blanks(byValue) : 0;
                    if (!idLike && byValue.size() <= CategoryCounts.MAX_CATEGORIES) {
                        categories = CategoryCounts.of(byValue);
                    }
                    if (countValuesOf.contains(column.name)) {
                        valueCounts.put(column.name, byValue); // complete: CategoryCounts keeps only the most frequent
                    }
                }
            }
            NumericStats numeric = p.numeric;
            if (histogram != null && histogram.binWidthLog2() == 0) {
                // Integer bins one wide count every value: exact, where HyperLogLog is off by 10% even for 50 values,
                // and so are the range and moments, whether the first scan summed them or not.
                distinct = java.util.Arrays.stream(histogram.counts()).filter(count -> count > 0).count();
                numeric = column.type == ColumnType.INTEGER && histogram.total() > 0 ? NumericStats.ofIntegerCounts(histogram.countsByValue()) : numeric;
            }
            profiles.add(new ColumnProfile(column.name, column.type, column.engineType, first.rows, first.rows - p.nonNull,
                    p.nan, p.nonFinite - p.nan, empty, distinct, idLike, numeric, ColumnProfile.quantilesOf(histogram, numeric),
                    histogram, categories, p.minValue, p.maxValue));
        }
        return profiles;
    }

    /** Values made only of Unicode space separators (Zs), the same test as {@link ProfileEngine#isBlank}. */
    private static long blanks(Map<String, Long> byValue) {
        long blank = 0;
        for (Map.Entry<String, Long> entry : byValue.entrySet()) {
            if (entry.getKey().codePoints().allMatch(cp -> Character.getType(cp) == Character.SPACE_SEPARATOR)) {
                blank += entry.getValue();
            }
        }
        return blank;
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
        List<Object[]> rows = Heartbeat.during("scanning " + source.path() + " for histograms and categories", progress,
                () -> engine.rows(sql, source));
        Map<Integer, Map<Object, Long>> out = new HashMap<>();
        for (Object[] row : rows) {
            for (int i = 0; i < keys.size(); i++) {
                if (row[i] != null) {
                    out.computeIfAbsent(i, k -> new HashMap<>()).put(row[i], ((Number) row[keys.size()]).longValue());
                    break;
                }
            }
        }
        return out;
    }

    /**
     * @param counts every value's count of a text or boolean column where the known grid counted
     *     them exactly in the first scan; null otherwise
     */
    private record Partial(long nonNull, long nonFinite, long nan, long empty, Long distinct, boolean idLike,
            NumericStats numeric, String minValue, String maxValue, Map<Object, Long> counts) {}

    /**
     * What the first scan says of each column, completed where it could not say it: floats with NaN
     * or infinities get their finite moments, and columns whose distinct count matters but was not
     * estimated (text the grid could not count, integers that may be keys or that need wide bins)
     * get it, in one more scan for those columns only; data without either needs none.
     */
    private Map<String, Partial> partials(List<Column> columns, FirstPass first, ReferenceGrid grid, String relation, DataSource source) {
        AggregateQuery.Row row = first.row;
        Map<String, String> fixes = new LinkedHashMap<>();
        Map<String, Map<Object, Long>> gridCounts = new HashMap<>();
        Map<String, NumericStats> countedIntegers = new HashMap<>();
        for (Column column : columns) {
            Slots s = first.slots.get(column.name);
            long nonNull = row.asLong(s.nonNull);
            boolean estimated = first.estimates.containsKey("distinct:" + column.name) || first.estimates.containsKey("finite:" + column.name);
            if (estimated) {
                continue;
            }
            if (column.type == ColumnType.FLOAT && nonNull > 0 && !(Double.isFinite(row.asDouble(s.min)) && Double.isFinite(row.asDouble(s.max)))) {
                fixes.putAll(finiteMoments(column)); // DuckDB orders NaN above +inf: finite min and max mean every value is finite
            } else if (column.type == ColumnType.INTEGER && nonNull > 0) {
                NumericStats exact = grid.integerStats(column.name, first.extras, nonNull);
                // Exact moments stand only where the profile's own bins are one wide, as the second
                // scan's then are too; values outside the band, or a range too wide for such bins,
                // get their range and moments summed as every other scan sums them.
                if (exact == null || NumericHistogram.widthLog2For(exact.min(), exact.max(), true) > 0) {
                    fixes.putAll(integerMoments(column));
                    fixes.putAll(distinctEstimate(column));
                } else {
                    countedIntegers.put(column.name, exact);
                    if (exact.max() - exact.min() + 1 >= ID_DISTINCT_RATIO * nonNull) { // a key needs that many distinct values
                        fixes.putAll(distinctEstimate(column));
                    }
                }
            } else if (column.countable() && grid.countsExactly(column)) {
                Map<Object, Long> counts = grid.values(column.name, first.extras, nonNull);
                if (counts != null) {
                    gridCounts.put(column.name, counts);
                } else if (column.type == ColumnType.STRING) {
                    fixes.putAll(textEstimates(column));
                }
            }
        }
        Map<String, Object> known = new HashMap<>(first.estimates);
        if (!fixes.isEmpty()) {
            known.putAll(aggregate(source, relation, fixes));
        }
        Map<String, Partial> out = new LinkedHashMap<>();
        for (Column column : columns) {
            out.put(column.name, partial(column, first, known, gridCounts.get(column.name), countedIntegers.get(column.name)));
        }
        return out;
    }

    /**
     * @param known the optional aggregates, of the first scan or of the one more scan, by name
     * @param countedInteger an integer's exact range and moments from its counts on the grid, or null
     */
    private Partial partial(Column column, FirstPass first, Map<String, Object> known, Map<Object, Long> counts,
            NumericStats countedInteger) {
        Slots s = first.slots.get(column.name);
        AggregateQuery.Row row = first.row;
        String name = column.name;
        long nonNull = row.asLong(s.nonNull);
        boolean finiteOnly = known.containsKey("finite:" + name);
        long finite = finiteOnly ? count(known, "finite:" + name) : nonNull;
        long nan = finiteOnly ? count(known, "nan:" + name) : 0;
        Long distinct = known.containsKey("distinct:" + name) ? Long.valueOf(count(known, "distinct:" + name)) : null;
        long empty = known.containsKey("empty:" + name) ? count(known, "empty:" + name) : 0;
        NumericStats numeric = null;
        String minValue = null;
        String maxValue = null;
        if (column.type.isNumeric() && finite > 0) {
            numeric = countedInteger != null ? countedInteger
                    : known.containsKey("mean:" + name)
                    ? new NumericStats(finite, number(known, "min:" + name), number(known, "max:" + name), number(known, "mean:" + name),
                            Math.sqrt(Math.max(0, number(known, "variance:" + name))))
                    : new NumericStats(finite, row.asDouble(s.min), row.asDouble(s.max), row.asDouble(s.mean),
                            Math.sqrt(Math.max(0, row.asDouble(s.variance))));
        } else if (column.type.isTemporal()) {
            minValue = row.asText(s.min);
            maxValue = row.asText(s.max);
        }
        if (distinct != null) {
            // Never more distinct values than values, nor, for integers, than the range holds.
            distinct = Math.min(nonNull, distinct);
            if (column.type == ColumnType.INTEGER && numeric != null) {
                distinct = (long) Math.min(distinct, numeric.max() - numeric.min() + 1);
            }
        }
        boolean idLike = isIdLike(column, nonNull, distinct, numeric);
        return new Partial(nonNull, nonNull - finite, nan, empty, distinct, idLike, numeric, minValue, maxValue, counts);
    }

    private static long count(Map<String, Object> values, String name) {
        Object value = values.get(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static double number(Map<String, Object> values, String name) {
        Object value = values.get(name);
        return value == null ? Double.NaN : ((Number) value).doubleValue();
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

    static NumericHistogram histogram(Map<Object, Long> counts, int log2) {
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
