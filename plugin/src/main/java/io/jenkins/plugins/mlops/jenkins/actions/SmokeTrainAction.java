package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Run;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report of {@code smokeTrain}: the failure class and the log lines that show it. */
public class SmokeTrainAction extends StepResultAction<SmokeTrainResult> {
    public SmokeTrainAction(SmokeTrainResult result, Run<?, ?> run) {
        super(result, run, "mlops-smoke");
    }

    @Override
    protected ReportKind<SmokeTrainResult> kind() {
        return ReportKind.SMOKE;
    }

    @Override
    public Map<String, String> getHighlights() {
        SmokeTrainResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Outcome", r.failure() == null ? "passed" : r.failure().name());
        facts.put("Sample", r.sample().rows() + " rows × " + r.epochs() + " epochs");
        facts.put("Run time", String.format(Locale.ROOT, "%.1f s", r.runDurationS()));
        return facts;
    }
}
