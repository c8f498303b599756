package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.deploy.judge.JudgePolicy;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code canaryRollout} ({@code canary.json}): the envelope, then the outcome,
 * where the traffic was left, and the timeline of every look at the arms.
 *
 * @param outcome {@code promoted} or {@code rolled_back}
 * @param backend where the weights were set, e.g. "embedded router on 127.0.0.1:8080"
 * @param finalWeight the candidate's weight the backend holds at the end (100 promoted, 0 rolled back)
 * @param resumedAt the weight a previous rollout had left, when this one resumed from it; else null
 */
public record CanaryResult(String schema, String step, Status status, Instant started, double durationS,
        String summary, List<Check> checks, String outcome, String backend, List<Integer> steps, double stepDurationS,
        double intervalS, JudgePolicy policy, int finalWeight, Integer resumedAt, List<Evaluation> timeline)
        implements StepResult {

    public static final String SCHEMA = "mlops.canary/v1";
    public static final String STEP = "canaryRollout";
    public static final String PROMOTED = "promoted";
    public static final String ROLLED_BACK = "rolled_back";

    public CanaryResult {
        checks = List.copyOf(checks);
        steps = List.copyOf(steps);
        timeline = List.copyOf(timeline);
    }
}
