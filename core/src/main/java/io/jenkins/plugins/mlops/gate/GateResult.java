package io.jenkins.plugins.mlops.gate;

import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The gate's result, written as {@code gate.json} (schema {@code mlops.gate/v1}): the shared
 * envelope, then the decision and everything behind it. Other tools read {@code decision} and
 * {@code metrics[].name}/{@code candidate}; keep those names stable.
 *
 * @param decision PASS only when every rule held and nothing failed to evaluate
 * @param task {@code regression} or {@code classification}; null when the files could not be read
 * @param rows paired hold-out rows
 * @param primaryMetric the metric the default rule and the summary are about
 * @param positiveClass classification: the class precision, recall and the score metrics treat as positive
 * @param bootstrap how the intervals were computed; null without baseline predictions
 */
public record GateResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, Decision decision, String task, int rows, String primaryMetric, String positiveClass,
        List<MetricComparison> metrics, List<RuleVerdict> rules, List<SliceComparison> slices,
        BaselineInfo baselineSource, String candidateSource, BootstrapInfo bootstrap) implements StepResult {

    public static final String SCHEMA = "mlops.gate/v1";
    public static final String STEP = "gateModel";

    public GateResult {
        checks = List.copyOf(checks);
        metrics = List.copyOf(metrics);
        rules = List.copyOf(rules);
        slices = List.copyOf(slices);
    }
}
