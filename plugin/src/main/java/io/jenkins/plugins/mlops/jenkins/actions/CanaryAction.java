package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Run;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import java.util.LinkedHashMap;
import java.util.Map;

/** The rollout timeline of {@code canaryRollout}: every weight, every look, the outcome. */
public class CanaryAction extends StepResultAction<CanaryResult> {
    public CanaryAction(CanaryResult result, Run<?, ?> run) {
        super(result, run, "mlops-canary");
    }

    @Override
    protected ReportKind<CanaryResult> kind() {
        return ReportKind.CANARY;
    }

    @Override
    public Map<String, String> getHighlights() {
        CanaryResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Outcome", r.outcome());
        facts.put("Candidate's weight", r.finalWeight() + "%");
        facts.put("Steps", r.steps().toString());
        facts.put("Backend", r.backend());
        return facts;
    }
}
