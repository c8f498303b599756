package io.jenkins.plugins.mlops.jenkins.actions;

import hudson.model.Run;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.train.TrainResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report of {@code trainOnGpu}'s Kubernetes Job: attempts, preemptions, the log excerpt. */
public class TrainAction extends StepResultAction<TrainResult> {
    public TrainAction(TrainResult result, Run<?, ?> run) {
        super(result, run, "mlops-train");
    }

    @Override
    protected ReportKind<TrainResult> kind() {
        return ReportKind.TRAIN;
    }

    @Override
    public Map<String, String> getHighlights() {
        TrainResult r = getResult();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Outcome", String.valueOf(r.outcome()));
        facts.put("Job", r.jobName());
        facts.put("GPUs", r.gpus() + (r.gpuType() == null ? "" : " × " + r.gpuType()));
        facts.put("Attempts", r.attempts().size() + " (" + r.preemptions() + " preempted)");
        return facts;
    }
}
