package io.jenkins.plugins.mlops.deploy.shadow;

import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.PositiveDurations;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code shadowDeploy} runs: the router in front of {@code primary}, mirroring to
 * {@code shadow}, until {@code requests} requests were answered or {@code duration} passed.
 *
 * @param listen HOST:PORT the router listens on
 * @param requests stop after this many primary answers (null: run for {@code duration})
 * @param duration stop after this long; with {@code requests}, the longest to wait for them
 * @param logJdbcUrl the prediction log, or null for none
 * @param replay a file of JSON request bodies, one per line, that the step sends through the router itself
 * @param replayPath the path the replayed requests go to, e.g. {@code /invocations}
 * @param maxLatencyRatio the shadow's p95 latency over the primary's
 * @param router a router that runs on its own, driven through its admin API instead of starting one
 *     (then its variants answer clients, there is no {@code primary}, and the router's own mirror
 *     queue, timeout and log apply), or null
 * @param upstreamCa CA certificates (PEM) the step's own router trusts for https servers besides the JVM's, or null
 */
public record ShadowConfig(URI primary, URI shadow, String listen, Long requests, Duration duration, String logJdbcUrl,
        PayloadMode payloadMode, CompareMode compare, double tolerance, double maxDisagreement, double maxShadowErrorRate,
        double maxLatencyRatio, Path replay, String replayPath, int mirrorQueue, Duration mirrorTimeout, URI router,
        Path upstreamCa) implements Serializable {

    public ShadowConfig {
        if (shadow == null) {
            throw new BadInputException("shadow: give --shadow URL");
        }
        if (router == null && primary == null) {
            throw new BadInputException("shadow: give --primary URL (a router of the step's own), or --router URL (a router"
                    + " that runs on its own)");
        }
        if (router != null && primary != null) {
            throw new BadInputException("shadow: give --primary or --router, not both: a running router answers clients from"
                    + " its own variants");
        }
        if (router != null && upstreamCa != null) {
            throw new BadInputException("shadow: --upstream-ca is for the step's own router; a running router trusts what its"
                    + " own --upstream-ca names");
        }
        if (requests == null && duration == null && replay == null) {
            throw new BadInputException("shadow: give --requests N, --duration D or --replay FILE");
        }
        if (requests != null && requests < 1) {
            throw new BadInputException("--requests: " + requests + " is not a positive count");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new BadInputException("--duration: " + duration + " is not a positive duration");
        }
        check("--tolerance", tolerance, 0, Double.MAX_VALUE);
        check("--max-disagreement", maxDisagreement, 0, 1);
        check("--max-shadow-error-rate", maxShadowErrorRate, 0, 1);
        check("--max-latency-ratio", maxLatencyRatio, 0, Double.MAX_VALUE);
        if (maxLatencyRatio == 0) {
            throw new BadInputException("--max-latency-ratio must be above 0: no shadow answers in zero time");
        }
        PositiveDurations.require(mirrorTimeout, "--mirror-timeout");
        compare = compare == null ? CompareMode.AUTO : compare;
        payloadMode = payloadMode == null ? PayloadMode.FULL : payloadMode;
        replayPath = replayPath == null ? "/invocations" : replayPath;
        if (!replayPath.startsWith("/")) {
            throw new BadInputException("--replay-path: '" + replayPath + "' must start with /");
        }
    }

    /** On a router of the step's own. */
    public ShadowConfig(URI primary, URI shadow, String listen, Long requests, Duration duration, String logJdbcUrl,
            PayloadMode payloadMode, CompareMode compare, double tolerance, double maxDisagreement, double maxShadowErrorRate,
            double maxLatencyRatio, Path replay, String replayPath, int mirrorQueue, Duration mirrorTimeout) {
        this(primary, shadow, listen, requests, duration, logJdbcUrl, payloadMode, compare, tolerance, maxDisagreement,
                maxShadowErrorRate, maxLatencyRatio, replay, replayPath, mirrorQueue, mirrorTimeout, null, null);
    }

    private static void check(String option, double value, double min, double max) {
        if (Double.isNaN(value) || value < min || value > max) {
            throw new BadInputException(option + ": " + value + " is not in " + min + ".." + (max == Double.MAX_VALUE ? "∞" : max));
        }
    }
}
