package io.jenkins.plugins.mlops.deploy.rollout;

import io.jenkins.plugins.mlops.deploy.judge.BusinessMetric;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.PositiveDurations;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A fixed-split experiment between arms {@code a} and {@code b}.
 *
 * @param splitPercent the share of traffic arm b gets
 * @param duration run this long, or null to run until {@code requests}
 * @param requests run until both arms together served this many, or null to run for {@code duration}
 * @param maxDuration the bound on a {@code requests} run; too little traffic by then fails closed
 * @param feedbackWait how long to wait after the traffic for late outcomes before the metrics are read
 * @param minSamples values each arm needs per metric; fewer and the metric is not measured (fails closed)
 */
public record AbConfig(int splitPercent, Duration duration, Long requests, Duration maxDuration, Duration feedbackWait,
                       List<BusinessMetric> metrics, double confidence, int minSamples) implements Serializable {

    public static final String A = "a";
    public static final String B = "b";

    public AbConfig {
        if (splitPercent < 1 || splitPercent > 99) {
            throw new BadInputException("--split must be within 1..99 (the percent of traffic arm b gets), got " + splitPercent);
        }
        if ((duration == null) == (requests == null)) {
            throw new BadInputException("give exactly one of --duration or --requests");
        }
        if (duration != null) {
            PositiveDurations.require(duration, "--duration");
        }
        if (requests != null && requests < 2) {
            throw new BadInputException("--requests must be at least 2, got " + requests);
        }
        if (requests != null || maxDuration != null) {
            PositiveDurations.require(maxDuration, "--max-duration");
        }
        if (!(confidence > 0.5 && confidence < 1)) {
            throw new BadInputException("--confidence must be within (0.5, 1), got " + confidence);
        }
        if (minSamples < 2) {
            throw new BadInputException("--min-samples must be at least 2, got " + minSamples);
        }
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        feedbackWait = feedbackWait == null ? Duration.ZERO : feedbackWait;
    }
}
