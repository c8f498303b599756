package io.jenkins.plugins.mlops.pipeline;

import java.io.Serializable;

/**
 * The production model's primary metric after a run, measured on that run's hold-out rows: the
 * point the run history plots.
 *
 * @param version the registry version that holds the champion alias after the run, or null
 * @param promoted whether this run made a new champion
 */
public record ChampionMetric(String metric, double value, Integer version, boolean promoted) implements Serializable {}
