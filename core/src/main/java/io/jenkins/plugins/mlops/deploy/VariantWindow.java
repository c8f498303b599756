package io.jenkins.plugins.mlops.deploy;

import java.io.Serializable;
import java.time.Instant;

/**
 * What one variant served over one interval, the input of every statistical judgement. A backend
 * that only has aggregates (Prometheus) fills the latency samples with the per-scrape values it
 * has, as Kayenta does, and leaves {@code predictions} empty.
 *
 * @param variant {@link TrafficBackend#STABLE} or {@link TrafficBackend#CANDIDATE} (or an A/B arm's name)
 * @param from start of the interval, inclusive
 * @param to end of the interval, exclusive
 * @param requests requests answered (any status)
 * @param errors requests answered with a 5xx, a refused connection or a timeout
 * @param latenciesMs latency samples in milliseconds, one per request where the backend has them
 * @param predictions numeric predictions (one per predicted row), empty where the backend has none
 */
public record VariantWindow(
        String variant, Instant from, Instant to, long requests, long errors, double[] latenciesMs, double[] predictions)
        implements Serializable {

    public double errorRate() {
        return requests == 0 ? Double.NaN : (double) errors / requests;
    }
}
