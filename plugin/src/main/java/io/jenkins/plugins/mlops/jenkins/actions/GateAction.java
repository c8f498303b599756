package io.jenkins.plugins.mlops.jenkins.actions;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.gate.GateResult;
import io.jenkins.plugins.mlops.gate.MetricComparison;
import io.jenkins.plugins.mlops.report.Html;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The model comparison and gate report of {@code gateModel}; the job's trend reads its primary metric. */
public class GateAction extends StepResultAction<GateResult> {
    public GateAction(GateResult result, Run<?, ?> run) {
        super(result, run, "mlops-gate");
    }

    @Override
    protected ReportKind<GateResult> kind() {
        return ReportKind.GATE;
    }

    /** The comparison of the metric the decision is about, or null when the gate could not compute it. */
    @CheckForNull
    public MetricComparison getPrimary() {
        return getResult().metrics().stream().filter(MetricComparison::primary).findFirst().orElse(null);
    }

    @Override
    public Map<String, String> getHighlights() {
        GateResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Decision", String.valueOf(r.decision()));
        MetricComparison primary = getPrimary();
        if (primary != null) {
            facts.put(primary.name(), number(primary.candidate()) + " (baseline " + number(primary.baseline()) + ")");
        }
        facts.put("Rows", String.valueOf(r.rows()));
        return facts;
    }

    private static String number(Double value) {
        return value == null ? "n/a" : Html.number(value);
    }
}
