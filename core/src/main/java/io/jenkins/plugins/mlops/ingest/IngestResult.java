package io.jenkins.plugins.mlops.ingest;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The result of {@code ingest} ({@code ingest.json}): the envelope, then what was written and
 * from which query. {@code data_fingerprint} has the name the data step's reports give it, so
 * registerModel reads it from this file, from its sidecar or from the validation report alike.
 *
 * @param output the Parquet file written
 * @param lineage its sidecar, {@code OUTPUT.lineage.json}
 * @param rows the rows written
 * @param columns each column as {@code name type}, as the Parquet file holds it
 * @param dataFingerprint {@code sha256:<hex>} of the Parquet file
 * @param query the query's text as given, with its {@code :name} parameters
 * @param parameters the values bound to them
 */
public record IngestResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, String output, String lineage, long rows, List<String> columns, String dataFingerprint,
        String query, Map<String, String> parameters) implements StepResult {
    private static final long serialVersionUID = 1L;

    public static final String SCHEMA = "mlops.ingest/v1";
    public static final String STEP = "ingest";

    public IngestResult {
        checks = List.copyOf(checks);
        columns = List.copyOf(columns);
        parameters = Map.copyOf(parameters);
    }
}
