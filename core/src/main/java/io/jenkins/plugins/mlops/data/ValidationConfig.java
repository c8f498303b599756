package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.io.BadInputException;
import java.io.Serializable;

/**
 * What {@code validateData} checks: the data, optionally a reference (data or a saved profile)
 * to infer a schema from and to test drift against, and optionally a schema file.
 *
 * @param data the dataset: a file or a directory of partitions
 * @param reference reference data, or null
 * @param referenceProfile a profile saved by {@code mlops profile}, or null
 * @param schema a schema YAML file, or null to infer one from the reference
 * @param engine resources for DuckDB
 * @param delimiter the field delimiter of CSV/TSV data and reference, or null for the format's own
 */
public record ValidationConfig(String data, String reference, String referenceProfile, String schema, EngineSettings engine,
        Character delimiter) implements Serializable {

    public ValidationConfig(String data, String reference, String referenceProfile, String schema, EngineSettings engine) {
        this(data, reference, referenceProfile, schema, engine, null);
    }

    public ValidationConfig {
        if (data == null || data.isBlank()) {
            throw new BadInputException("--data: the dataset to validate is required");
        }
        if (reference != null && referenceProfile != null) {
            throw new BadInputException("--reference and --reference-profile: give one reference, not both");
        }
        if (engine == null) {
            engine = EngineSettings.DEFAULT;
        }
    }
}
