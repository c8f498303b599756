package io.jenkins.plugins.mlops.pipeline;

import java.io.Serializable;
import java.util.List;

/**
 * The {@code canary} stage: the options of {@code mlops canary} with the embedded router.
 * Without {@code stable} and {@code candidate} the pipeline serves the champion and the
 * candidate itself with {@code serve}; {@code replay} is the built-in traffic.
 */
public record CanaryStage(String stable, String candidate, String listen, String state, String log, List<Integer> steps,
        String stepDuration, String interval, String maxWait, Long minRequests, Double maxErrorRate,
        Double maxLatencyRatio, Double maxPredictionDrift, Double confidence, Integer minMetricSamples,
        List<String> metric, String queryTimeout, String replay, String replayPath, Double replayRate)
        implements Serializable {

    public CanaryStage {
        listen = Keys.orDefault(listen, "127.0.0.1:0");
        log = Keys.orDefault(log, "jdbc:sqlite:{run}/predictions.db");
        steps = steps == null ? List.of(5, 25, 50, 100) : List.copyOf(steps);
        stepDuration = Keys.orDefault(stepDuration, "60s");
        minRequests = minRequests == null ? 100L : minRequests;
        maxErrorRate = maxErrorRate == null ? 0.01 : maxErrorRate;
        maxLatencyRatio = maxLatencyRatio == null ? 1.2 : maxLatencyRatio;
        maxPredictionDrift = maxPredictionDrift == null ? 0.2 : maxPredictionDrift;
        confidence = confidence == null ? 0.95 : confidence;
        minMetricSamples = minMetricSamples == null ? 30 : minMetricSamples;
        metric = Keys.list(metric);
        queryTimeout = Keys.orDefault(queryTimeout, "30s");
        replayPath = Keys.orDefault(replayPath, "/invocations");
        replayRate = replayRate == null ? 20.0 : replayRate;
        if ((stable == null) != (candidate == null)) {
            throw Keys.invalid("canary.stable", "give both stable and candidate URLs, or neither (the pipeline serves both)");
        }
    }
}
