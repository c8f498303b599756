package io.jenkins.plugins.mlops.registry;

/** Gate reports as {@code mlops gate --report} writes them, for the tests of the register step and command. */
public final class GateReports {
    private GateReports() {}

    /**
     * @param decision PASS or FAIL; the status follows from it as the gate sets it
     * @param metrics the {@code metrics} array, e.g. {@code [{"name": "roc_auc", "candidate": 0.9}]}
     */
    public static String json(String decision, String metrics) {
        return """
                {"schema": "mlops.gate/v1", "step": "gateModel", "status": "%s", "started": "2026-12-01T08:00:00Z",
                 "duration_s": 0.4, "summary": "gate %s", "checks": [], "decision": "%s", "metrics": %s}
                """.formatted(decision, decision, decision, metrics);
    }
}
