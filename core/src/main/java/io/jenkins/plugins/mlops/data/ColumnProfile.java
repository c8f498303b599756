package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one column of a dataset looks like. Sizes are bounded by the histogram and category
 * limits, never by rows.
 *
 * @param name column name
 * @param type logical type
 * @param engineType the type DuckDB read, e.g. {@code BIGINT}
 * @param rows rows in the dataset
 * @param nulls SQL NULLs (an empty CSV field reads as NULL)
 * @param nan NaN values (floats only)
 * @param infinite infinite values (floats only)
 * @param empty strings that are empty or only whitespace
 * @param distinct count of distinct non-null values: exact where every value was counted (text and
 *     booleans with few values, integers in bins one wide), else HyperLogLog's estimate; null for
 *     floats, whose values are nearly all distinct and which the histogram describes better, and
 *     where nothing needed it
 * @param idLike unique integer or string key: not range- or drift-tested, new ids are normal
 * @param numeric moments and range of the finite values, for numeric columns
 * @param quantiles quantiles of the finite values (from the histogram), for numeric columns
 * @param histogram fixed-edge histogram, for numeric columns that are not ID-like
 * @param categories value counts, for boolean columns and strings with few distinct values
 * @param minValue smallest value as text, for dates and timestamps
 * @param maxValue largest value as text, for dates and timestamps
 */
public record ColumnProfile(
        String name,
        ColumnType type,
        String engineType,
        long rows,
        long nulls,
        long nan,
        long infinite,
        long empty,
        Long distinct,
        boolean idLike,
        NumericStats numeric,
        Map<String, Double> quantiles,
        NumericHistogram histogram,
        CategoryCounts categories,
        String minValue,
        String maxValue) implements Serializable {

    /** See {@link #freeText()}. */
    static final double FREE_TEXT_SINGLETONS = 0.5;

    static final double[] QUANTILES = {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99};

    /** Fraction of rows that hold no usable value: NULL, NaN or empty string. */
    public double missingFraction() {
        return rows == 0 ? 0 : (double) (nulls + nan + empty) / rows;
    }

    /** Values that are not missing; for numbers, the finite ones (those a range is about). */
    public long values() {
        return numeric != null ? numeric.count() : type.isNumeric() ? 0 : rows - nulls - empty;
    }

    /** How many values occur exactly once, where every value was counted; else null. */
    public Long singletons() {
        return categories == null || categories.other() > 0 ? null
                : categories.counts().values().stream().filter(count -> count == 1).count();
    }

    /**
     * Text whose distinct values keep growing with rows (names, addresses, free comments), not a
     * category: more than {@link #FREE_TEXT_SINGLETONS} of the values occur once (Good and Turing:
     * that share of the next rows will bring a value never seen), or too many to count. A new
     * value there is normal, so it gets neither a category check nor a categorical drift test.
     */
    public boolean freeText() {
        if (type != ColumnType.STRING || idLike || values() == 0) {
            return false;
        }
        Long once = singletons();
        return once == null || once > FREE_TEXT_SINGLETONS * values();
    }

    static Map<String, Double> quantilesOf(NumericHistogram histogram, NumericStats stats) {
        if (histogram == null || stats == null || stats.count() == 0) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (double q : QUANTILES) {
            out.put(String.format(java.util.Locale.ROOT, "p%02d", Math.round(q * 100)), histogram.quantile(q, stats.min(), stats.max()));
        }
        return out;
    }

    /** The profile of both parts of a partitioned dataset. */
    public ColumnProfile merge(ColumnProfile other) {
        if (!name.equals(other.name)) {
            throw new IllegalArgumentException("merging column " + name + " with " + other.name);
        }
        ColumnType mergedType = type == other.type ? type
                : type.accepts(other.type) ? type
                : other.type.accepts(type) ? other.type : null;
        if (mergedType == null) {
            throw new BadInputException("cannot merge profiles: column " + name + " is " + type.schemaName()
                    + " in one and " + other.type.schemaName() + " in the other");
        }
        NumericStats mergedNumeric = combine(numeric, other.numeric, NumericStats::merge);
        NumericHistogram mergedHistogram = combine(histogram, other.histogram, NumericHistogram::merge);
        CategoryCounts mergedCategories = combine(categories, other.categories, CategoryCounts::merge);
        boolean mergedIdLike = idLike && other.idLike;
        long nonNull = rows + other.rows - nulls - other.nulls;
        // HyperLogLog sketches are not kept, so the merged count is bounded: exact from the
        // categories, a sum for disjoint key ranges (IDs), otherwise the larger part (a lower bound).
        Long mergedDistinct = distinct == null || other.distinct == null ? null
                : mergedCategories != null && mergedCategories.other() == 0 ? (long) mergedCategories.counts().size()
                : mergedIdLike ? Math.min(nonNull, distinct + other.distinct)
                : Math.max(distinct, other.distinct);
        return new ColumnProfile(name, mergedType, engineType.equals(other.engineType) ? engineType : mergedType.schemaName(),
                rows + other.rows, nulls + other.nulls, nan + other.nan, infinite + other.infinite, empty + other.empty,
                mergedDistinct, mergedIdLike, mergedNumeric, quantilesOf(mergedHistogram, mergedNumeric), mergedHistogram,
                mergedCategories, minText(minValue, other.minValue, true), minText(maxValue, other.maxValue, false));
    }

    private static <T> T combine(T a, T b, java.util.function.BinaryOperator<T> merge) {
        if (a == null) {
            return b;
        }
        return b == null ? a : merge.apply(a, b);
    }

    /** ISO dates and timestamps order as text. */
    private static String minText(String a, String b, boolean smaller) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return (a.compareTo(b) <= 0) == smaller ? a : b;
    }
}
