package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowParameters;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowStep;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.actions.ShadowAction;
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
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code shadowDeploy}: the embedded router answers clients from {@code primary} (or a router that
 * runs on its own, {@code router}, from its variants) and mirrors every
 * request to {@code shadow}, discards the shadow's answers after comparing them, and judges
 * disagreement, shadow errors and latency, as {@code mlops shadow} does. The router runs on the
 * agent that holds the workspace, for {@code requests}, {@code duration} or a {@code replay} file.
 * The parameters are core's ({@link ShadowParameters#CATALOGUE}).
 */
public class ShadowDeployStep extends RouterStep {
    /**
     * A free loopback port (the log names it), never 8080: that is Jenkins' own port, so a
     * router on the built-in node would fail to bind or, worse, steal its traffic.
     */
    static final String DEFAULT_LISTEN = "127.0.0.1:0";
    private static final StepParameters PARAMETERS = new StepParameters(ShadowParameters.CATALOGUE,
            Map.of("listen", DEFAULT_LISTEN));

    private final TreeMap<String, Object> values = new TreeMap<>();

    @DataBoundConstructor
    public ShadowDeployStep(String shadow) {
        PARAMETERS.set(values, "shadow", shadow);
    }

    @CheckForNull
    public String getPrimary() {
        return PARAMETERS.text(values, "primary");
    }

    /** The production model server: required unless {@code router} is given. */
    @DataBoundSetter
    public void setPrimary(String primary) {
        PARAMETERS.set(values, "primary", primary);
    }

    @CheckForNull
    public String getRouter() {
        return PARAMETERS.text(values, "router");
    }

    /** A router that runs on its own (a Kubernetes Service): mirrored through its admin API, left serving after the step. */
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

    public String getShadow() {
        return PARAMETERS.text(values, "shadow");
    }

    @CheckForNull
    public Long getRequests() {
        Object requests = values.get("requests");
        return requests == null ? null : ((Number) requests).longValue();
    }

    /** 0 is no count, as a blank number field binds to 0 (the form and the Snippet Generator would otherwise write requests: 0). */
    @DataBoundSetter
    public void setRequests(Long requests) {
        PARAMETERS.set(values, "requests", requests == null || requests == 0 ? null : requests);
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
    public String getDuration() {
        return PARAMETERS.text(values, "duration");
    }

    @DataBoundSetter
    public void setDuration(String duration) {
        PARAMETERS.set(values, "duration", duration);
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
    public String getCompare() {
        return PARAMETERS.text(values, "compare");
    }

    @DataBoundSetter
    public void setCompare(String compare) {
        PARAMETERS.set(values, "compare", compare);
    }

    public double getTolerance() {
        return PARAMETERS.number(values, "tolerance");
    }

    @DataBoundSetter
    public void setTolerance(double tolerance) {
        PARAMETERS.set(values, "tolerance", tolerance);
    }

    public double getMaxDisagreement() {
        return PARAMETERS.number(values, "maxDisagreement");
    }

    @DataBoundSetter
    public void setMaxDisagreement(double maxDisagreement) {
        PARAMETERS.set(values, "maxDisagreement", maxDisagreement);
    }

    public double getMaxShadowErrorRate() {
        return PARAMETERS.number(values, "maxShadowErrorRate");
    }

    @DataBoundSetter
    public void setMaxShadowErrorRate(double maxShadowErrorRate) {
        PARAMETERS.set(values, "maxShadowErrorRate", maxShadowErrorRate);
    }

    public double getMaxLatencyRatio() {
        return PARAMETERS.number(values, "maxLatencyRatio");
    }

    @DataBoundSetter
    public void setMaxLatencyRatio(double maxLatencyRatio) {
        PARAMETERS.set(values, "maxLatencyRatio", maxLatencyRatio);
    }

    public int getMirrorQueue() {
        return (int) PARAMETERS.whole(values, "mirrorQueue");
    }

    @DataBoundSetter
    public void setMirrorQueue(int mirrorQueue) {
        PARAMETERS.set(values, "mirrorQueue", mirrorQueue);
    }

    @CheckForNull
    public String getMirrorTimeout() {
        return PARAMETERS.text(values, "mirrorTimeout");
    }

    @DataBoundSetter
    public void setMirrorTimeout(String mirrorTimeout) {
        PARAMETERS.set(values, "mirrorTimeout", mirrorTimeout);
    }

    @Override
    public StepExecution start(StepContext context) {
        String leftRunning = getRouter() != null ? "the router at " + getRouter() + " may still mirror to the shadow:"
                + " turn that off with DELETE /admin/v1/mirror" : "the shadow router (listen " + getListen()
                + ") ran in the JVM of the node that held the workspace; if that was an agent, it may still be mirroring"
                + " there: restart that agent";
        return new InterruptibleEngineExecution(context, ShadowResult.STEP, leftRunning, (c, interruptId) -> {
            StepRun run = StepRun.of(c);
            ShadowParameters checked = PARAMETERS.build(values, ShadowParameters.builder());
            Properties credentials = PredictionLogs.credentials(run.env());
            Call call = new Call(run.listener(), getReport(), checked, credentials,
                    routerToken(run.run()));
            return ResultMaps.of(run.execute(call.interruptibleAs(interruptId), ShadowAction::new, Status.FAIL,
                    isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<ShadowResult> {
        private static final long serialVersionUID = 1L;
        private final ShadowParameters parameters;
        private final Properties logCredentials;
        private final String routerToken;

        Call(TaskListener listener, String report, ShadowParameters parameters, Properties logCredentials, String routerToken) {
            super(listener, PredictionLogs.masker(routerToken, logCredentials), report);
            this.parameters = parameters;
            this.logCredentials = logCredentials;
            this.routerToken = routerToken;
        }

        @Override
        protected String stepName() {
            return ShadowResult.STEP;
        }

        @Override
        protected ReportKind<ShadowResult> kind() {
            return ReportKind.SHADOW;
        }

        @Override
        protected ShadowResult run(Path workspace, Consumer<String> progress) {
            return ShadowStep.run(parameters.config(workspace), logCredentials, routerToken, progress);
        }
    }

    @Extension
    @Symbol("shadowDeploy")
    public static final class DescriptorImpl extends RouterStepDescriptor {
        @Override
        public String getFunctionName() {
            return "shadowDeploy";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ShadowDeployStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"shadow", "duration"};
        }

        /** Not required in the form: a running router (the router field) answers clients without one. */
        public FormValidation doCheckPrimary(@QueryParameter String value) {
            return FormChecks.value(ShadowParameters.CATALOGUE, "primary", value);
        }

        public FormValidation doCheckShadow(@QueryParameter String value) {
            return FormChecks.required(ShadowParameters.CATALOGUE, "shadow", value,
                    "the candidate that gets a copy of each request");
        }
    }
}
