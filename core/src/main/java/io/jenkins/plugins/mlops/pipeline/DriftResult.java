package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * {@code mlops drift}: whether a batch drifted from the training profile, written as
 * {@code drift.json} (schema {@code mlops.drift/v1}). FAIL means drift: retraining is due.
 *
 * @param driftedColumns columns whose distribution moved beyond the fail threshold or gained categories
 * @param trigger the Jenkins build it started, or null
 */
public record DriftResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, String data, String referenceProfile, long rowCount, List<String> driftedColumns,
        JenkinsTrigger.Outcome trigger) implements StepResult {

    public static final String SCHEMA = "mlops.drift/v1";
    public static final String STEP = "detectDrift";

    public DriftResult {
        checks = List.copyOf(checks);
        driftedColumns = List.copyOf(driftedColumns);
    }

    public boolean drifted() {
        return !driftedColumns.isEmpty();
    }

    public DriftResult withTrigger(JenkinsTrigger.Outcome outcome) {
        String triggered = summary + "; started " + outcome.url() + (outcome.queueItem() == null ? "" : " (queued: "
                + outcome.queueItem() + ")");
        return new DriftResult(schema, step, status, started, durationS, triggered, checks, data, referenceProfile,
                rowCount, driftedColumns, outcome);
    }
}
