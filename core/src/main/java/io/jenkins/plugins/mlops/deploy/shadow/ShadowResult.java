package io.jenkins.plugins.mlops.deploy.shadow;

import io.jenkins.plugins.mlops.deploy.log.LogStats;
import io.jenkins.plugins.mlops.deploy.router.MirrorStats;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.time.Instant;
import java.util.List;

/**
 * The result of {@code shadowDeploy} ({@code shadow.json}): the envelope, then what was compared.
 *
 * @param requests requests the primary answered through the router
 * @param compared mirrored requests whose both answers were compared (primary 2xx, shadow answered)
 * @param rows rows compared within those requests
 * @param agreement share of rows that agree, with its 95% Wilson interval
 * @param meanDifference mean absolute difference over numeric rows (NaN when there are none)
 * @param log the prediction log's counters (rows written and lost), null without a log
 */
public record ShadowResult(String schema, String step, Status status, Instant started, double durationS, String summary,
        List<Check> checks, String primaryUrl, String shadowUrl, String compare, double tolerance, long requests,
        long compared, long rows, long agreeingRows, double agreement, double agreementLow, double agreementHigh,
        double meanDifference, double maxDifference, long primaryErrors, long shadowErrors, MirrorStats mirror,
        LatencySummary primaryLatency, LatencySummary shadowLatency, Distribution distribution, List<Example> worst,
        LogStats log) implements StepResult {

    public static final String SCHEMA = "mlops.shadow/v1";
    public static final String STEP = "shadowDeploy";

    public ShadowResult {
        checks = List.copyOf(checks);
        worst = List.copyOf(worst);
    }
}
