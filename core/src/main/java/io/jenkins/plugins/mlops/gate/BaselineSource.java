package io.jenkins.plugins.mlops.gate;

import java.io.Serializable;

/**
 * Where the baseline's numbers come from: its predictions on the same hold-out rows (the strong
 * comparison: paired, with intervals), or metrics recorded earlier, e.g. on the registry version
 * that holds the {@code champion} alias (a point comparison only).
 */
public sealed interface BaselineSource extends Serializable permits BaselinePredictions, RecordedBaseline {

    /** One line for the report saying where the baseline came from. */
    String description();
}
