package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.Sql;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Holds a profiled dataset against a schema. The few numbers a profile does not have (rows out of
 * range, values outside the categories, duplicates) are aggregates that {@link #plan} adds to the
 * profiling scan, so checking costs no scan of its own. New categories of text columns are read
 * off the value counts the second scan makes anyway; only a column with too many distinct values
 * for that needs a scan of its own ({@link #uncountedCategoryAggregates}).
 */
final class SchemaChecks {
    private static final int LISTED = 8;

    private final Schema schema;
    private final InferredChecks inferred;

    SchemaChecks(Schema schema) {
        this.schema = schema;
        this.inferred = new InferredChecks(schema);
    }

    /** What the checks need from the profiling scans, for the columns the data has. */
    Profiler.Extras plan(List<Profiler.Column> columns) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> counted = new LinkedHashSet<>();
        Set<String> unique = new LinkedHashSet<>();
        for (Profiler.Column column : columns) {
            ColumnSchema expected = schema.columns().get(column.name());
            if (expected == null) {
                continue;
            }
            String c = column.sql();
            if (expected.type() == ColumnType.DATE && column.type() == ColumnType.TIMESTAMP) {
                // A timestamp at midnight is a date (pandas writes dates to Parquet as timestamps).
                out.put("time_of_day:" + column.name(), "count(CASE WHEN CAST(" + c + " AS TIMESTAMP) <> CAST(CAST(" + c
                        + " AS DATE) AS TIMESTAMP) THEN 1 END)");
            }
            if (expected.categories() != null && column.countable()) {
                counted.add(column.name());
            } else if (expected.categories() != null && column.type() != ColumnType.OTHER) {
                out.putAll(categoryAggregates(column, expected.categories()));
            }
            if (Boolean.TRUE.equals(expected.unique())) {
                unique.add(column.name());
            }
        }
        return new Profiler.Extras(out, counted, unique);
    }

    /**
     * Everything {@link #evaluate} needs besides the profile: the scan's extra aggregates, new
     * categories read off its value counts, and, in one more scan only where the profile cannot
     * tell, the rest (categories of text with too many values to count, rows out of range).
     */
    Map<String, Object> values(Profiler profiler, DataSource data, List<Profiler.Column> columns, Profiler.Scan scan) {
        Map<String, Object> values = new HashMap<>(scan.extras());
        values.putAll(categoryValues(scan.valueCounts()));
        Map<String, String> toScan = new LinkedHashMap<>(uncountedCategoryAggregates(columns, scan.valueCounts()));
        values.putAll(rangeCounts(scan.profile(), columns, toScan));
        if (!toScan.isEmpty()) {
            values.putAll(profiler.aggregate(data, toScan));
        }
        return values;
    }

    /**
     * Rows outside each numeric column's range: 0, read off the profile, where its exact min and
     * max lie inside the range and every value is finite; otherwise an aggregate (name to SQL) for
     * one more scan, in {@code toScan}. Counting every column's outliers in the profiling scan cost
     * a CASE per value and column, for a count that is almost always 0.
     */
    private Map<String, Object> rangeCounts(Profile profile, List<Profiler.Column> columns, Map<String, String> toScan) {
        Map<String, Object> known = new HashMap<>();
        Map<String, ColumnProfile> profiled = profile.byName();
        for (Profiler.Column column : columns) {
            ColumnSchema expected = schema.columns().get(column.name());
            ColumnProfile actual = profiled.get(column.name());
            if (expected == null || actual == null || !hasRange(expected) || !column.type().isNumeric() || expected.keyColumn()) {
                continue;
            }
            NumericStats stats = actual.numeric();
            boolean inside = actual.nan() == 0 && actual.infinite() == 0 && (stats == null
                    || (expected.min() == null || stats.min() >= expected.min()) && (expected.max() == null || stats.max() <= expected.max()));
            if (inside) {
                known.put("range:" + column.name(), 0L);
                continue;
            }
            List<String> outside = new ArrayList<>();
            if (expected.min() != null) {
                outside.add(column.asDouble() + " < " + Sql.doubleLiteral(expected.min()));
            }
            if (expected.max() != null) {
                outside.add(column.asDouble() + " > " + Sql.doubleLiteral(expected.max()));
            }
            toScan.put("range:" + column.name(), "count(CASE WHEN " + String.join(" OR ", outside) + " THEN 1 END)");
        }
        return known;
    }

    /**
     * The category aggregates of the columns {@link #plan} meant to read off value counts that
     * the scan did not count (more distinct values than it counts), for one more scan.
     */
    private Map<String, String> uncountedCategoryAggregates(List<Profiler.Column> columns, Map<String, Map<String, Long>> valueCounts) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Profiler.Column column : columns) {
            ColumnSchema expected = schema.columns().get(column.name());
            if (expected != null && expected.categories() != null && column.countable() && !valueCounts.containsKey(column.name())) {
                out.putAll(categoryAggregates(column, expected.categories()));
            }
        }
        return out;
    }

    private static Map<String, String> categoryAggregates(Profiler.Column column, List<String> categories) {
        String c = column.sql();
        String unexpected = c + " IS NOT NULL" + (categories.isEmpty() ? ""
                : " AND CAST(" + c + " AS STRING) NOT IN (" + categories.stream().map(Sql::literal).collect(Collectors.joining(", ")) + ")");
        String newValue = "CASE WHEN " + unexpected + " THEN CAST(" + c + " AS STRING) END";
        Map<String, String> out = new LinkedHashMap<>();
        out.put("categories:" + column.name(), "count(" + newValue + ")");
        // Two examples (smallest and largest) are bounded memory; a list of all could hold every row.
        out.put("categories_min:" + column.name(), "min(" + newValue + ")");
        out.put("categories_max:" + column.name(), "max(" + newValue + ")");
        return out;
    }

    /** The same values as the category aggregates, read off the counts of every value of a column. */
    private Map<String, Object> categoryValues(Map<String, Map<String, Long>> valueCounts) {
        Map<String, Object> out = new HashMap<>();
        valueCounts.forEach((name, counts) -> {
            ColumnSchema expected = schema.columns().get(name);
            if (expected == null || expected.categories() == null) {
                return;
            }
            Set<String> allowed = Set.copyOf(expected.categories());
            List<String> fresh = counts.keySet().stream().filter(value -> !allowed.contains(value)).sorted(SchemaChecks::engineOrder).toList();
            out.put("categories:" + name, fresh.stream().mapToLong(counts::get).sum());
            out.put("categories_min:" + name, fresh.isEmpty() ? null : fresh.get(0));
            out.put("categories_max:" + name, fresh.isEmpty() ? null : fresh.get(fresh.size() - 1));
        });
        return out;
    }

    /** DuckDB orders text by its UTF-8 bytes (code points), not by Java's UTF-16 units. */
    private static int engineOrder(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    List<Check> evaluate(Profile data, Map<String, Object> extras) {
        List<Check> checks = new ArrayList<>();
        Map<String, ColumnProfile> columns = data.byName();
        List<String> missing = schema.columns().keySet().stream().filter(name -> !columns.containsKey(name)).toList();
        if (!schema.columns().isEmpty()) {
            checks.add(missing.isEmpty()
                    ? Check.of("columns_present", null, Status.PASS, "all " + schema.columns().size() + " present",
                            schema.columns().size() + " columns", "Every column the schema lists is in the data.")
                    : Check.of("columns_present", null, Status.FAIL, "missing: " + list(missing),
                            schema.columns().size() + " columns", missing.size() + " column(s) the schema lists are not in the data."));
        }
        if (schema.strictColumns()) {
            List<String> unexpected = columns.keySet().stream().filter(name -> !schema.columns().containsKey(name)).toList();
            checks.add(Check.of("no_unexpected_columns", null, unexpected.isEmpty() ? Status.PASS : Status.FAIL,
                    unexpected.isEmpty() ? "none" : "unexpected: " + list(unexpected), "only the schema's columns",
                    unexpected.isEmpty() ? "The data has no column the schema does not list."
                            : unexpected.size() + " column(s) are not in the schema, which is strict."));
        }
        if (schema.rowCount() != null) {
            checks.add(rowCount(data.rowCount(), schema.rowCount()));
        }
        schema.columns().forEach((name, expected) -> {
            ColumnProfile actual = columns.get(name);
            if (actual != null) {
                checkColumn(name, expected, actual, extras, checks);
            }
        });
        return checks;
    }

    private static Check rowCount(long rows, RowCountBounds bounds) {
        boolean ok = (bounds.min() == null || rows >= bounds.min()) && (bounds.max() == null || rows <= bounds.max());
        String expected = "[" + (bounds.min() == null ? "" : bounds.min()) + ", " + (bounds.max() == null ? "" : bounds.max()) + "]";
        return Check.of("row_count", null, ok ? Status.PASS : Status.FAIL, rows, expected,
                ok ? "The row count is within bounds." : String.format(Locale.ROOT, "%,d rows is outside %s.", rows, expected));
    }

    private void checkColumn(String name, ColumnSchema expected, ColumnProfile actual, Map<String, Object> extras, List<Check> checks) {
        if (expected.type() != null) {
            checks.add(type(name, expected, actual, extras));
        }
        if (expected.inferred() && expected.maxNullFraction() != null) {
            checks.add(inferred.missing(name, expected, actual));
        } else {
            Double allowedMissing = Boolean.FALSE.equals(expected.nullable()) ? Double.valueOf(0) : expected.maxNullFraction();
            if (allowedMissing != null) {
                double fraction = actual.missingFraction();
                boolean ok = fraction <= allowedMissing;
                checks.add(Check.of("null_fraction", name, ok ? Status.PASS : Status.FAIL, missingObserved(actual),
                        allowedMissing == 0 ? "0 (not nullable)" : "<= " + Numbers.format(allowedMissing),
                        ok ? "Missing values (NULL, NaN, empty) are within the limit." : missingMessage(actual)));
            }
        }
        Object outside = extras.get("range:" + name);
        if (outside != null) {
            long rows = ((Number) outside).longValue();
            NumericStats stats = actual.numeric();
            String observed = stats == null ? "no finite values" : "min " + Numbers.format(stats.min()) + ", max " + Numbers.format(stats.max())
                    + (rows == 0 ? "" : String.format(Locale.ROOT, "; %,d rows outside", rows));
            if (expected.inferred()) {
                checks.add(inferred.range(name, expected, actual, rows, observed));
            } else {
                checks.add(Check.of("range", name, rows == 0 ? Status.PASS : Status.FAIL, observed, range(expected),
                        rows == 0 ? "All values are within range." : String.format(Locale.ROOT, "%,d values are outside %s.", rows, range(expected))));
            }
        } else if (hasRange(expected) && !expected.keyColumn() && !actual.type().isNumeric() && actual.values() > 0) {
            checks.add(Check.of("range", name, Status.FAIL, actual.type().schemaName() + " values", range(expected),
                    "A range needs a numeric column."));
        }
        Object newValues = extras.get("categories:" + name);
        if (newValues != null) {
            long rows = ((Number) newValues).longValue();
            List<String> shown = java.util.stream.Stream.of(extras.get("categories_min:" + name), extras.get("categories_max:" + name))
                    .filter(java.util.Objects::nonNull).map(v -> "'" + v + "'").distinct().toList();
            String observed = rows == 0 ? "no new values" : String.format(Locale.ROOT, "%,d rows with new values: %s", rows, list(shown));
            if (expected.inferred()) {
                checks.add(inferred.categories(name, expected, actual, rows, observed));
            } else {
                checks.add(Check.of("categories", name, rows == 0 ? Status.PASS : Status.FAIL, observed, list(expected.categories()),
                        rows == 0 ? "Every value is an allowed category." : "Values outside the allowed categories appear."));
            }
        }
        Object distinct = extras.get(Profiler.DISTINCT_EXTRA + name);
        if (distinct != null) {
            long nonNull = actual.rows() - actual.nulls();
            long duplicates = nonNull - ((Number) distinct).longValue();
            checks.add(Check.of("unique", name, duplicates == 0 ? Status.PASS : Status.FAIL,
                    duplicates == 0 ? "all distinct" : String.format(Locale.ROOT, "%,d duplicate values", duplicates), "unique",
                    duplicates == 0 ? "Every value is distinct." : "Some values occur more than once."));
        }
    }

    /**
     * Widening is accepted (ColumnType#accepts), and date and timestamp are one family: a
     * timestamp column whose every value is at midnight satisfies {@code date}.
     */
    private static Check type(String name, ColumnSchema expected, ColumnProfile actual, Map<String, Object> extras) {
        String observed = actual.type().schemaName() + " (" + actual.engineType() + ")";
        if (actual.values() == 0) {
            // CSV reads a column of empty fields as text: no value, no type to hold against the schema.
            return Check.of("type", name, Status.PASS, observed + "; no values", expected.type().schemaName(),
                    "No value to check; missing values are the null_fraction check's.");
        }
        Object withTime = extras.get("time_of_day:" + name);
        if (withTime != null) {
            long rows = ((Number) withTime).longValue();
            return rows == 0
                    ? Check.of("type", name, Status.PASS, observed, "date", "Every timestamp is at midnight: a date.")
                    : Check.of("type", name, Status.FAIL, observed + String.format(Locale.ROOT, "; %,d values with a time of day", rows),
                            "date", "The schema says date, and some timestamps have a time of day.");
        }
        boolean ok = expected.type().accepts(actual.type());
        return Check.of("type", name, ok ? Status.PASS : Status.FAIL, observed, expected.type().schemaName(),
                ok ? "The type matches." : "The data's type is " + actual.type().schemaName() + ", the schema says "
                        + expected.type().schemaName() + ".");
    }

    static String missingObserved(ColumnProfile actual) {
        long count = actual.nulls() + actual.nan() + actual.empty();
        return String.format(Locale.ROOT, "%s (%,d of %,d)", Numbers.format(actual.missingFraction()), count, actual.rows());
    }

    static String missingMessage(ColumnProfile actual) {
        return String.format(Locale.ROOT, "%,d missing values (NULL %,d, NaN %,d, empty %,d).", actual.nulls() + actual.nan() + actual.empty(),
                actual.nulls(), actual.nan(), actual.empty());
    }

    static boolean hasRange(ColumnSchema expected) {
        return expected.min() != null || expected.max() != null;
    }

    static String range(ColumnSchema expected) {
        return "[" + (expected.min() == null ? "" : Numbers.format(expected.min())) + ", "
                + (expected.max() == null ? "" : Numbers.format(expected.max())) + "]";
    }

    static String list(List<String> values) {
        String shown = values.stream().limit(LISTED).collect(Collectors.joining(", "));
        return values.size() > LISTED ? shown + ", … (" + values.size() + ")" : shown;
    }
}
