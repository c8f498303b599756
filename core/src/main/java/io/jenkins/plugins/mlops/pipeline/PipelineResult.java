package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * A pipeline run, written as {@code pipeline.json} in its run directory (schema
 * {@code mlops.pipeline/v1}): one check per stage, then the stages and what the run left in the
 * registry.
 *
 * @param runId the run directory's name under {@code .mlops/runs}
 * @param driftDetected the validate stage found drift and the run retrained because of it
 * @param champion the champion's primary metric after the run, or null when the gate did not run
 * @param comparison the champion and the candidate on this run's hold-out rows, or null when the
 *     gate did not measure the candidate
 * @param registeredVersion the version the register stage created or found, or null
 */
public record PipelineResult(String schema, String step, Status status, Instant started, double durationS,
        String summary, List<Check> checks, String runId, String model, String registry, List<StageOutcome> stages,
        boolean driftDetected, ChampionMetric champion, RunComparison comparison, Integer registeredVersion)
        implements StepResult {

    public static final String SCHEMA = "mlops.pipeline/v1";
    public static final String STEP = "pipeline";

    public PipelineResult {
        checks = List.copyOf(checks);
        stages = List.copyOf(stages);
    }

    /** The error kind of the stage that stopped the run, if an exception stopped it. */
    public String error() {
        return stages.stream().map(StageOutcome::error).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
