package io.jenkins.plugins.mlops.pipeline;

import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.util.List;

/**
 * What a stage hands back: its step's result and panels (written through {@code ReportWriter}),
 * and its verdict in the pipeline, which may differ from the step's (drift that triggers retraining).
 *
 * @param reportName the step's report stem, e.g. {@code gate}
 * @param passed whether the run goes on
 */
record StageReport(StepResult result, String reportName, List<String> panels, Status status, String summary,
        boolean passed) {

    /** A stage with nothing to do in this run (e.g. no champion to mirror): no step ran, the run goes on. */
    static StageReport skipped(String reason) {
        return new StageReport(null, null, List.of(), null, reason, true);
    }

    boolean ran() {
        return result != null;
    }

    /** A stage whose verdict is its step's: it passes below {@code threshold}. */
    static StageReport of(StepResult result, String reportName, List<String> panels, Status threshold) {
        return new StageReport(result, reportName, panels, result.status(), result.summary(),
                !result.status().isAtLeast(threshold));
    }
}
