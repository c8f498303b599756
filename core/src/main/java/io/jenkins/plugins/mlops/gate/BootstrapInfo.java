package io.jenkins.plugins.mlops.gate;

import java.io.Serializable;

/** How the intervals were computed, so that a reader (or a rerun) can reproduce them. */
public record BootstrapInfo(String method, int resamples, double confidence, long seed) implements Serializable {}
