package io.jenkins.plugins.mlops.ingest;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.jenkins.plugins.mlops.io.AtomicFiles;
import io.jenkins.plugins.mlops.result.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/**
 * The sidecar {@code OUTPUT.lineage.json} next to an ingested Parquet file: which query, with
 * which values, from which warehouse (its URL without credentials) made exactly these bytes.
 * registerModel takes it as the data report and records its fingerprint, rows and query on the version.
 */
@JsonPropertyOrder({"schema", "data", "data_fingerprint", "rows", "columns", "query", "parameters", "warehouse", "ingested"})
record IngestLineage(String schema, String data, String dataFingerprint, long rows, List<String> columns, String query,
        SortedMap<String, String> parameters, String warehouse, Instant ingested) {
    static final String SCHEMA = "mlops.ingest.lineage/v1";
    static final String SUFFIX = ".lineage.json";

    static Path sidecar(Path parquet) {
        return parquet.resolveSibling(parquet.getFileName() + SUFFIX);
    }

    void write(Path parquet) {
        AtomicFiles.write(sidecar(parquet), Json.write(this));
    }
}
