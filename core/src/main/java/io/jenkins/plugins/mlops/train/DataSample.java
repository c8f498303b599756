package io.jenkins.plugins.mlops.train;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the smoke test trained on.
 *
 * @param source the user's data file
 * @param sourceRows rows in the source
 * @param rows rows in the sample (fewer than asked when the source is small)
 * @param labelColumn the column the sample is stratified by, or {@code null} for a plain random sample
 * @param rowsPerLabel the sample's rows per label value (empty when not stratified)
 * @param seed the seed that makes the sample repeatable
 */
public record DataSample(String source, long sourceRows, long rows, String labelColumn,
        Map<String, Long> rowsPerLabel, long seed) implements Serializable {

    public DataSample {
        rowsPerLabel = Collections.unmodifiableMap(new TreeMap<>(rowsPerLabel));
    }
}
