package io.jenkins.plugins.mlops.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.Serializable;
import java.util.List;

/**
 * What one column must look like. Every field is optional: an absent one is not checked.
 *
 * @param type logical type; wider data types are accepted (integer data for a float column)
 * @param nullable false: not a single NULL, NaN or empty string
 * @param maxNullFraction the most NULL/NaN/empty values allowed, as a fraction of rows
 * @param min smallest allowed value (numeric)
 * @param max largest allowed value (numeric)
 * @param categories the allowed values; any other value fails
 * @param unique every non-null value distinct (exact; costs a distinct count)
 * @param id a key: new values are normal, so it is not range- or drift-tested
 * @param drift false to leave the column out of drift tests
 * @param inferredFrom the reference sample these limits were inferred from: present, rows outside
 *     the range, missing values and new categories fail only beyond what a sample of that size
 *     explains (see {@link SamplingTolerance}); absent (hand-written), every limit is hard
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnSchema(ColumnType type, Boolean nullable, Double maxNullFraction, Double min, Double max,
        List<String> categories, Boolean unique, Boolean id, Boolean drift, InferredFrom inferredFrom) implements Serializable {

    public ColumnSchema {
        categories = categories == null ? null : List.copyOf(categories);
        if (maxNullFraction != null && !(maxNullFraction >= 0 && maxNullFraction <= 1)) {
            throw new IllegalArgumentException("max_null_fraction must be between 0 and 1, not " + maxNullFraction);
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("min " + min + " is greater than max " + max);
        }
        if (Boolean.FALSE.equals(nullable) && maxNullFraction != null && maxNullFraction > 0) {
            throw new IllegalArgumentException("nullable: false contradicts max_null_fraction " + maxNullFraction);
        }
    }

    /**
     * The reference sample behind an inferred column's limits.
     *
     * @param rows the reference's rows: the sample size of its missing-value share
     * @param values its non-missing (for numbers: finite) values: the sample size of its range and categories
     * @param singletons values seen exactly once, for a column with categories: how many new values to expect
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InferredFrom(long rows, long values, Long singletons) implements Serializable {
        public InferredFrom {
            if (rows < 1 || values < 0 || values > rows) {
                throw new IllegalArgumentException("inferred_from needs rows >= 1 and 0 <= values <= rows, not rows "
                        + rows + ", values " + values);
            }
            if (singletons != null && (singletons < 0 || singletons > values)) {
                throw new IllegalArgumentException("inferred_from.singletons must be between 0 and values, not " + singletons);
            }
        }
    }

    boolean inferred() {
        return inferredFrom != null;
    }

    boolean keyColumn() {
        return Boolean.TRUE.equals(id);
    }

    boolean driftTested() {
        return !Boolean.FALSE.equals(drift) && !keyColumn();
    }
}
