package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.TaskListener;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryResult;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRollout;
import io.jenkins.plugins.mlops.deploy.rollout.CanaryRolloutParameters;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.actions.CanaryAction;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code canaryRollout}: shifts traffic to the candidate in steps (5% → 25% → 50% → 100%), judges
 * errors, latency, predictions and business metrics at every look, and promotes or rolls back, as
 * {@code mlops canary} does: through the embedded router on this agent, an Istio VirtualService or a
 * KServe InferenceService. A rolled-back candidate fails the step (or, with {@code unstableOnFailure},
 * marks the build UNSTABLE); the result's {@code outcome} is {@code promoted} or {@code rolled_back}.
 * The parameters are core's ({@link CanaryRolloutParameters#CATALOGUE}): this class only stores them
 * and hands them to {@link CanaryRollout} on the agent.
 * <pre>
 * def canary = canaryRollout backend: 'istio', virtualService: 'churn', prometheus: 'http://prometheus:9090',
 *                            steps: '5,25,50,100', stepDuration: '10m'
 * </pre>
 */
public class CanaryRolloutStep extends RouterStep {
    // The router's port is free by default: the CLI's 8080 is Jenkins' own.
    private static final StepParameters PARAMETERS = new StepParameters(CanaryRolloutParameters.CATALOGUE,
            Map.of("listen", ShadowDeployStep.DEFAULT_LISTEN));

    private final TreeMap<String, Object> values = new TreeMap<>();

    @DataBoundConstructor
    public CanaryRolloutStep() {}

    @CheckForNull
    public String getRouter() {
        return PARAMETERS.text(values, "router");
    }

    /** A router that runs on its own (a Kubernetes Service): its weights moved through its admin API, left serving after the step. */
    @DataBoundSetter
    public void setRouter(String router) {
        PARAMETERS.set(values, "router", router);
    }

    @CheckForNull
    public String getUpstreamCa() {
        return PARAMETERS.text(values, "upstreamCa");
    }

    /** CA certificates (PEM, in the workspace) the step's own router trusts for https model servers besides the JVM's. */
    @DataBoundSetter
    public void setUpstreamCa(String upstreamCa) {
        PARAMETERS.set(values, "upstreamCa", upstreamCa);
    }

    @CheckForNull
    public String getBackend() {
        return PARAMETERS.text(values, "backend");
    }

    @DataBoundSetter
    public void setBackend(String backend) {
        PARAMETERS.set(values, "backend", backend);
    }

    @CheckForNull
    public String getStable() {
        return PARAMETERS.text(values, "stable");
    }

    @DataBoundSetter
    public void setStable(String stable) {
        PARAMETERS.set(values, "stable", stable);
    }

    @CheckForNull
    public String getCandidate() {
        return PARAMETERS.text(values, "candidate");
    }

    @DataBoundSetter
    public void setCandidate(String candidate) {
        PARAMETERS.set(values, "candidate", candidate);
    }

    @CheckForNull
    public String getListen() {
        return PARAMETERS.text(values, "listen");
    }

    @DataBoundSetter
    public void setListen(String listen) {
        PARAMETERS.set(values, "listen", listen);
    }

    @CheckForNull
    public String getState() {
        return PARAMETERS.text(values, "state");
    }

    @DataBoundSetter
    public void setState(String state) {
        PARAMETERS.set(values, "state", state);
    }

    @CheckForNull
    public String getLog() {
        return PARAMETERS.text(values, "log");
    }

    @DataBoundSetter
    public void setLog(String log) {
        PARAMETERS.set(values, "log", log);
    }

    @CheckForNull
    public String getPayload() {
        return PARAMETERS.text(values, "payload");
    }

    @DataBoundSetter
    public void setPayload(String payload) {
        PARAMETERS.set(values, "payload", payload);
    }

    @CheckForNull
    public String getSteps() {
        return PARAMETERS.text(values, "steps");
    }

    @DataBoundSetter
    public void setSteps(String steps) {
        PARAMETERS.set(values, "steps", steps);
    }

    @CheckForNull
    public String getStepDuration() {
        return PARAMETERS.text(values, "stepDuration");
    }

    @DataBoundSetter
    public void setStepDuration(String stepDuration) {
        PARAMETERS.set(values, "stepDuration", stepDuration);
    }

    @CheckForNull
    public String getInterval() {
        return PARAMETERS.text(values, "interval");
    }

    @DataBoundSetter
    public void setInterval(String interval) {
        PARAMETERS.set(values, "interval", interval);
    }

    @CheckForNull
    public String getMaxWait() {
        return PARAMETERS.text(values, "maxWait");
    }

    @DataBoundSetter
    public void setMaxWait(String maxWait) {
        PARAMETERS.set(values, "maxWait", maxWait);
    }

    public long getMinRequests() {
        return PARAMETERS.whole(values, "minRequests");
    }

    @DataBoundSetter
    public void setMinRequests(long minRequests) {
        PARAMETERS.set(values, "minRequests", minRequests);
    }

    public double getMaxErrorRate() {
        return PARAMETERS.number(values, "maxErrorRate");
    }

    @DataBoundSetter
    public void setMaxErrorRate(double maxErrorRate) {
        PARAMETERS.set(values, "maxErrorRate", maxErrorRate);
    }

    public double getMaxLatencyRatio() {
        return PARAMETERS.number(values, "maxLatencyRatio");
    }

    @DataBoundSetter
    public void setMaxLatencyRatio(double maxLatencyRatio) {
        PARAMETERS.set(values, "maxLatencyRatio", maxLatencyRatio);
    }

    public double getMaxPredictionDrift() {
        return PARAMETERS.number(values, "maxPredictionDrift");
    }

    @DataBoundSetter
    public void setMaxPredictionDrift(double maxPredictionDrift) {
        PARAMETERS.set(values, "maxPredictionDrift", maxPredictionDrift);
    }

    public double getConfidence() {
        return PARAMETERS.number(values, "confidence");
    }

    @DataBoundSetter
    public void setConfidence(double confidence) {
        PARAMETERS.set(values, "confidence", confidence);
    }

    public int getMinMetricSamples() {
        return (int) PARAMETERS.whole(values, "minMetricSamples");
    }

    @DataBoundSetter
    public void setMinMetricSamples(int minMetricSamples) {
        PARAMETERS.set(values, "minMetricSamples", minMetricSamples);
    }

    @CheckForNull
    public String getMetric() {
        return PARAMETERS.text(values, "metric");
    }

    @DataBoundSetter
    public void setMetric(String metric) {
        PARAMETERS.set(values, "metric", metric);
    }

    @CheckForNull
    public String getMetricLog() {
        return PARAMETERS.text(values, "metricLog");
    }

    @DataBoundSetter
    public void setMetricLog(String metricLog) {
        PARAMETERS.set(values, "metricLog", metricLog);
    }

    @CheckForNull
    public String getQueryTimeout() {
        return PARAMETERS.text(values, "queryTimeout");
    }

    @DataBoundSetter
    public void setQueryTimeout(String queryTimeout) {
        PARAMETERS.set(values, "queryTimeout", queryTimeout);
    }

    @CheckForNull
    public String getPrometheus() {
        return PARAMETERS.text(values, "prometheus");
    }

    @DataBoundSetter
    public void setPrometheus(String prometheus) {
        PARAMETERS.set(values, "prometheus", prometheus);
    }

    @CheckForNull
    public String getPrometheusStep() {
        return PARAMETERS.text(values, "prometheusStep");
    }

    @DataBoundSetter
    public void setPrometheusStep(String prometheusStep) {
        PARAMETERS.set(values, "prometheusStep", prometheusStep);
    }

    @CheckForNull
    public String getNamespace() {
        return PARAMETERS.text(values, "namespace");
    }

    @DataBoundSetter
    public void setNamespace(String namespace) {
        PARAMETERS.set(values, "namespace", namespace);
    }

    @CheckForNull
    public String getVirtualService() {
        return PARAMETERS.text(values, "virtualService");
    }

    @DataBoundSetter
    public void setVirtualService(String virtualService) {
        PARAMETERS.set(values, "virtualService", virtualService);
    }

    @CheckForNull
    public String getHost() {
        return PARAMETERS.text(values, "host");
    }

    @DataBoundSetter
    public void setHost(String host) {
        PARAMETERS.set(values, "host", host);
    }

    @CheckForNull
    public String getStableSubset() {
        return PARAMETERS.text(values, "stableSubset");
    }

    @DataBoundSetter
    public void setStableSubset(String stableSubset) {
        PARAMETERS.set(values, "stableSubset", stableSubset);
    }

    @CheckForNull
    public String getCandidateSubset() {
        return PARAMETERS.text(values, "candidateSubset");
    }

    @DataBoundSetter
    public void setCandidateSubset(String candidateSubset) {
        PARAMETERS.set(values, "candidateSubset", candidateSubset);
    }

    @CheckForNull
    public String getInferenceService() {
        return PARAMETERS.text(values, "inferenceService");
    }

    @DataBoundSetter
    public void setInferenceService(String inferenceService) {
        PARAMETERS.set(values, "inferenceService", inferenceService);
    }

    @CheckForNull
    public String getReplay() {
        return PARAMETERS.text(values, "replay");
    }

    @DataBoundSetter
    public void setReplay(String replay) {
        PARAMETERS.set(values, "replay", replay);
    }

    @CheckForNull
    public String getReplayPath() {
        return PARAMETERS.text(values, "replayPath");
    }

    @DataBoundSetter
    public void setReplayPath(String replayPath) {
        PARAMETERS.set(values, "replayPath", replayPath);
    }

    public double getReplayRate() {
        return PARAMETERS.number(values, "replayRate");
    }

    @DataBoundSetter
    public void setReplayRate(double replayRate) {
        PARAMETERS.set(values, "replayRate", replayRate);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new InterruptibleEngineExecution(context, CanaryResult.STEP, leftRunningOnRestart(), (c, interruptId) -> {
            StepRun run = StepRun.of(c);
            CanaryRolloutParameters checked = PARAMETERS.build(values, CanaryRolloutParameters.builder());
            Properties credentials = PredictionLogs.credentials(run.env());
            Properties metricCredentials = PredictionLogs.metricCredentials(run.env());
            Call call = new Call(run.listener(), getReport(), checked, credentials, metricCredentials,
                    routerToken(run.run()));
            return ResultMaps.of(run.execute(call.interruptibleAs(interruptId), CanaryAction::new, Status.FAIL,
                    isUnstableOnFailure()));
        });
    }

    /** What a hard restart of the controller can leave behind mid-rollout, for the failed step's message. */
    private String leftRunningOnRestart() {
        String backend = String.valueOf(getBackend());
        if (getRouter() != null) {
            return "the router at " + getRouter() + " keeps serving at the weights of the last step: check them (GET"
                    + " /admin/v1/weights), and roll back by hand if the candidate still gets traffic";
        }
        return switch (backend) {
            case "istio" -> "the VirtualService " + getNamespace() + "/" + getVirtualService()
                    + " keeps the weights of the last step: check it, and roll back by hand if the candidate still gets traffic";
            case "kserve" -> "the InferenceService " + getNamespace() + "/" + getInferenceService()
                    + " keeps its canaryTrafficPercent: check it, and roll back by hand if the candidate still gets traffic";
            default -> "the embedded router (listen " + getListen() + ") ran in the JVM of the node that held the workspace;"
                    + " if that was an agent, it may still be routing there: restart that agent"
                    + (getState() == null ? "" : ", and the router's state file " + getState() + " keeps the last weights");
        };
    }

    static final class Call extends EngineCall<CanaryResult> {
        private static final long serialVersionUID = 1L;
        private final CanaryRolloutParameters parameters;
        private final Properties logCredentials;
        private final Properties metricCredentials;
        private final String routerToken;

        Call(TaskListener listener, String report, CanaryRolloutParameters parameters, Properties logCredentials,
                Properties metricCredentials, String routerToken) {
            super(listener, PredictionLogs.masker(routerToken, logCredentials, metricCredentials), report);
            this.parameters = parameters;
            this.logCredentials = logCredentials;
            this.metricCredentials = metricCredentials;
            this.routerToken = routerToken;
        }

        @Override
        protected String stepName() {
            return CanaryResult.STEP;
        }

        @Override
        protected ReportKind<CanaryResult> kind() {
            return ReportKind.CANARY;
        }

        @Override
        protected CanaryResult run(Path workspace, Consumer<String> progress) {
            return new CanaryRollout(logCredentials, metricCredentials, progress, w -> progress.accept("WARNING: " + w),
                    routerToken).run(parameters, workspace);
        }
    }

    @Extension
    @Symbol("canaryRollout")
    public static final class DescriptorImpl extends RouterStepDescriptor {
        @Override
        public String getFunctionName() {
            return "canaryRollout";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.CanaryRolloutStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"candidate", "virtualService", "inferenceService", "steps"};
        }

        public ListBoxModel doFillBackendItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("Embedded router on this agent", "embedded");
            items.add("Istio VirtualService weights", "istio");
            items.add("KServe canaryTrafficPercent", "kserve");
            return items;
        }
    }
}
