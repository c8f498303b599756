package io.jenkins.plugins.mlops.data;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code validateData} ({@value #SCHEMA}): the envelope, then what was compared,
 * the current data's profile and the drift of each column.
 *
 * @param data the validated dataset's path
 * @param dataFingerprint {@code sha256:<hex>} of its files, recorded by the registry as lineage
 * @param reference the reference's path (data or profile), or null
 * @param referenceFingerprint the reference's fingerprint, or null
 * @param schemaSource where the expectations came from: a file, "inferred from the reference", or "none"
 * @param rowCount rows in the data
 * @param profile the data's profile
 * @param drift per column, tested or with the reason why not; empty without a reference
 */
public record ValidationResult(
        String schema,
        String step,
        Status status,
        Instant started,
        double durationS,
        String summary,
        List<Check> checks,
        String data,
        String dataFingerprint,
        String reference,
        String referenceFingerprint,
        String schemaSource,
        long rowCount,
        Profile profile,
        List<ColumnDrift> drift) implements StepResult {
    public static final String SCHEMA = "mlops.validation/v1";
    public static final String STEP = "validateData";

    public ValidationResult {
        checks = List.copyOf(checks);
        drift = List.copyOf(drift);
    }
}
