package io.jenkins.plugins.mlops.data;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema inferred from a reference profile, the way TensorFlow Data Validation infers one: the
 * columns and their types, the reference's share of missing values, the categories of
 * low-cardinality columns, numeric ranges, and which columns are IDs. Every limit is what the
 * reference saw, exactly, with the reference's sample size ({@code inferred_from}): the checks
 * read it as a statement about the population the sample came from, and tolerate what sampling
 * explains ({@link SamplingTolerance}). It is a starting point to edit, and what validation uses
 * when given only a reference.
 */
public final class SchemaInference {
    private SchemaInference() {}

    public static Schema infer(Profile reference) {
        Map<String, ColumnSchema> columns = new LinkedHashMap<>();
        for (ColumnProfile column : reference.columns()) {
            columns.put(column.name(), infer(column));
        }
        return new Schema(true, null, columns, List.of(), null);
    }

    private static ColumnSchema infer(ColumnProfile column) {
        Double maxNullFraction = round(column.missingFraction(), RoundingMode.CEILING);
        Double min = null;
        Double max = null;
        if (!column.idLike() && column.numeric() != null) {
            min = round(column.numeric().min(), RoundingMode.FLOOR);
            max = round(column.numeric().max(), RoundingMode.CEILING);
        }
        List<String> categories = null;
        Long singletons = null;
        if (!column.idLike() && !column.freeText() && column.categories() != null && column.categories().other() == 0) {
            categories = new ArrayList<>(column.categories().counts().keySet());
            categories.sort(null);
            singletons = column.singletons();
        }
        return new ColumnSchema(column.type(), null, maxNullFraction, min, max, categories, null,
                column.idLike() ? Boolean.TRUE : null, null, new ColumnSchema.InferredFrom(column.rows(), column.values(), singletons));
    }

    /** Six significant digits, rounded outwards from the shortest decimal that is the value: a schema is read by people. */
    private static double round(double value, RoundingMode mode) {
        if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return BigDecimal.valueOf(value).round(new MathContext(6, mode)).doubleValue();
    }
}
