package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Run;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.revision.DeployResult;
import java.util.LinkedHashMap;
import java.util.Map;

/** The report of {@code deployModel}: the candidate on the cluster, as canaryRollout takes it next. */
public class DeployAction extends StepResultAction<DeployResult> {
    public DeployAction(DeployResult result, Run<?, ?> run) {
        super(result, run, "mlops-deploy");
    }

    @Override
    protected ReportKind<DeployResult> kind() {
        return ReportKind.DEPLOY;
    }

    @Override
    public Map<String, String> getHighlights() {
        DeployResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Model", r.modelName() + " version " + r.modelVersion());
        facts.put("Image", r.image() != null ? r.image() : r.storageUri());
        if (r.candidateSubset() != null) {
            facts.put("Subset", r.candidateSubset() + " (" + r.namespace() + "/" + r.workload() + ")");
        }
        if (r.revision() != null) {
            facts.put("Revision", r.revision() + " of InferenceService " + r.namespace() + "/" + r.inferenceService());
        }
        if (r.rolledBack()) {
            facts.put("Rolled back", "the candidate was removed");
        }
        return facts;
    }
}
