package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.result.Status;
import java.io.Serializable;
import java.util.List;

/**
 * The drift of one column between the reference and the current data.
 *
 * @param column column name
 * @param tested false when the column is not drift-tested (see {@code reason})
 * @param reason why it was not tested (ID-like, temporal, free text, excluded: PASS; no values or no
 *     comparable profile: WARN or FAIL), else null
 * @param statistic {@code wasserstein_normed} (numeric) or {@code jensen_shannon} (categorical)
 * @param value the statistic's value
 * @param warnThreshold value from which the column WARNs
 * @param failThreshold value from which the column FAILs
 * @param test the significance test: {@code ks} or {@code chi_square}
 * @param pValue the test's p-value
 * @param pValueAdjusted the Benjamini-Hochberg-corrected p-value over all tested columns
 * @param referenceCount values compared from the reference
 * @param currentCount values compared from the current data
 * @param status the verdict
 * @param bins labels of the chart's bars (bin lower edges or categories)
 * @param referenceShare share of the reference in each bar
 * @param currentShare share of the current data in each bar
 */
public record ColumnDrift(String column, boolean tested, String reason, String statistic, Double value,
        Double warnThreshold, Double failThreshold, String test, Double pValue, Double pValueAdjusted,
        Long referenceCount, Long currentCount, Status status, List<String> bins, List<Double> referenceShare,
        List<Double> currentShare) implements Serializable {

    static ColumnDrift notTested(String column, String reason) {
        return new ColumnDrift(column, false, reason, null, null, null, null, null, null, null, null, null, Status.PASS,
                List.of(), List.of(), List.of());
    }

    /** A column that should have been tested and could not be: never a silent pass. */
    static ColumnDrift untestable(String column, Status status, String reason) {
        return new ColumnDrift(column, false, reason, null, null, null, null, null, null, null, null, null, status,
                List.of(), List.of(), List.of());
    }

    ColumnDrift withVerdict(double adjusted, Status verdict) {
        return new ColumnDrift(column, tested, reason, statistic, value, warnThreshold, failThreshold, test, pValue, adjusted,
                referenceCount, currentCount, verdict, bins, referenceShare, currentShare);
    }
}
