package io.jenkins.plugins.mlops.gate;

import java.io.Serializable;

/**
 * Where the baseline came from and how strong the comparison is.
 *
 * @param kind {@code predictions} (paired comparison on the same rows) or {@code recorded_metrics}
 * @param paired whether both models were scored on the same rows, which is what intervals need
 * @param note for a recorded baseline, the sentence that says the comparison is weaker
 */
public record BaselineInfo(String kind, String description, boolean paired, String note) implements Serializable {}
