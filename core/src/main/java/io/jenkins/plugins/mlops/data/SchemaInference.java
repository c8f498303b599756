package io.jenkins.plugins.mlops.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema inferred from a reference profile, the way TensorFlow Data Validation infers one: the
 * columns and their types, which may hold no missing values (and how many the others may),
 * the categories of low-cardinality columns, numeric ranges widened by a margin, and which
 * columns are IDs. It is a starting point to edit, and what validation uses when given only a
 * reference.
 */
public final class SchemaInference {
    /** Ranges grow by this share of their span on each side: new data rarely stays within the exact extremes. */
    static final double RANGE_MARGIN = 0.1;

    private SchemaInference() {}

    public static Schema infer(Profile reference) {
        Map<String, ColumnSchema> columns = new LinkedHashMap<>();
        for (ColumnProfile column : reference.columns()) {
            columns.put(column.name(), infer(column));
        }
        return new Schema(true, null, columns, List.of(), null);
    }

    private static ColumnSchema infer(ColumnProfile column) {
        double missing = column.missingFraction();
        Boolean nullable = missing == 0 ? Boolean.FALSE : null;
        // Room for sampling noise: half again the reference's share, at least 2 percentage points.
        Double maxNullFraction = missing == 0 ? null
                : round(Math.min(1, missing + Math.max(0.02, missing / 2)), java.math.RoundingMode.CEILING);
        Double min = null;
        Double max = null;
        if (!column.idLike() && column.numeric() != null) {
            NumericStats stats = column.numeric();
            double margin = (stats.max() - stats.min()) * RANGE_MARGIN;
            // Heavy tails (incomes, prices) reach past the reference's extremes in every new
            // sample, so each side also grows by its own tail length (extreme to 1st/99th percentile).
            double lowTail = column.quantiles() == null ? 0 : column.quantiles().get("p01") - stats.min();
            double highTail = column.quantiles() == null ? 0 : stats.max() - column.quantiles().get("p99");
            min = stats.min() - margin - lowTail;
            max = stats.max() + margin + highTail;
            if (stats.min() >= 0) {
                min = Math.max(0, min); // a count or an amount that never was negative stays so
            }
            if (column.type() == ColumnType.INTEGER) {
                min = Math.floor(min);
                max = Math.ceil(max);
            } else {
                min = round(min, java.math.RoundingMode.FLOOR);
                max = round(max, java.math.RoundingMode.CEILING);
            }
        }
        List<String> categories = null;
        if (!column.idLike() && column.categories() != null && column.categories().other() == 0) {
            categories = new ArrayList<>(column.categories().counts().keySet());
            categories.sort(null);
        }
        return new ColumnSchema(column.type(), nullable, maxNullFraction, min, max, categories, null,
                column.idLike() ? Boolean.TRUE : null, null);
    }

    /** Six significant digits, rounded outwards: a schema is read by people. */
    private static double round(double value, java.math.RoundingMode mode) {
        if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return new java.math.BigDecimal(value).round(new java.math.MathContext(6, mode)).doubleValue();
    }
}
