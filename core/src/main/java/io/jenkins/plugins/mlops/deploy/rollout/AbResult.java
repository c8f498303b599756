package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of an A/B experiment ({@code ab.json}): the envelope, both arms, and every metric's
 * difference {@code b − a} with its confidence interval. The experiment passes when it measured
 * every metric; which arm is better is for the reader (and {@code significant}).
 */
public record AbResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, String a, String b, int splitPercent, double confidence, ArmSummary armA, ArmSummary armB,
        List<AbComparison> comparisons) implements StepResult {

    public static final String SCHEMA = "mlops.ab/v1";
    public static final String STEP = "abTest";

    public AbResult {
        checks = List.copyOf(checks);
        comparisons = List.copyOf(comparisons);
    }
}
