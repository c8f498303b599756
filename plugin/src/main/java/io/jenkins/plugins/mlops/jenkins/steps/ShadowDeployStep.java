package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.mlops.deploy.log.PayloadMode;
import io.jenkins.plugins.mlops.deploy.shadow.CompareMode;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowConfig;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowResult;
import io.jenkins.plugins.mlops.deploy.shadow.ShadowStep;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.actions.ShadowAction;
import io.jenkins.plugins.mlops.result.Status;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code shadowDeploy}: the embedded router answers clients from {@code primary} and mirrors every
 * request to {@code shadow}, discards the shadow's answers after comparing them, and judges
 * disagreement, shadow errors and latency, as {@code mlops shadow} does. The router runs on the
 * agent that holds the workspace, for {@code requests}, {@code duration} or a {@code replay} file.
 */
public class ShadowDeployStep extends MlopsStep {
    private final String primary;
    private final String shadow;
    /**
     * A free loopback port (the log names it), never 8080: that is Jenkins' own port, so a
     * router on the built-in node would fail to bind or, worse, steal its traffic.
     */
    static final String DEFAULT_LISTEN = "127.0.0.1:0";

    private String listen = DEFAULT_LISTEN;
    private Long requests;
    private String duration;
    private String replay;
    private String replayPath = "/invocations";
    private String log = PredictionLogs.DEFAULT;
    private String payload = "full";
    private String compare = "auto";
    private double tolerance = 1e-6;
    private double maxDisagreement = 0.05;
    private double maxShadowErrorRate = 0.01;
    private double maxLatencyRatio = 1.5;
    private int mirrorQueue = 1024;
    private String mirrorTimeout = "10s";

    @DataBoundConstructor
    public ShadowDeployStep(String primary, String shadow) {
        this.primary = primary;
        this.shadow = shadow;
    }

    public String getPrimary() {
        return primary;
    }

    public String getShadow() {
        return shadow;
    }

    public String getListen() {
        return listen;
    }

    @DataBoundSetter
    public void setListen(String listen) {
        this.listen = Util.fixEmptyAndTrim(listen) == null ? DEFAULT_LISTEN : listen.trim();
    }

    @CheckForNull
    public Long getRequests() {
        return requests;
    }

    /** 0 is no count, as a blank number field binds to 0 (the form and the Snippet Generator would otherwise write requests: 0). */
    @DataBoundSetter
    public void setRequests(Long requests) {
        this.requests = requests == null || requests == 0 ? null : requests;
    }

    @CheckForNull
    public String getDuration() {
        return duration;
    }

    @DataBoundSetter
    public void setDuration(String duration) {
        this.duration = Util.fixEmptyAndTrim(duration);
    }

    @CheckForNull
    public String getReplay() {
        return replay;
    }

    @DataBoundSetter
    public void setReplay(String replay) {
        this.replay = Util.fixEmptyAndTrim(replay);
    }

    public String getReplayPath() {
        return replayPath;
    }

    @DataBoundSetter
    public void setReplayPath(String replayPath) {
        this.replayPath = Util.fixEmptyAndTrim(replayPath) == null ? "/invocations" : replayPath.trim();
    }

    public String getLog() {
        return log;
    }

    @DataBoundSetter
    public void setLog(String log) {
        this.log = Util.fixEmptyAndTrim(log) == null ? PredictionLogs.DEFAULT : log.trim();
    }

    public String getPayload() {
        return payload;
    }

    @DataBoundSetter
    public void setPayload(String payload) {
        this.payload = Util.fixEmptyAndTrim(payload) == null ? "full" : payload.trim().toLowerCase(Locale.ROOT);
    }

    public String getCompare() {
        return compare;
    }

    @DataBoundSetter
    public void setCompare(String compare) {
        this.compare = Util.fixEmptyAndTrim(compare) == null ? "auto" : compare.trim().toLowerCase(Locale.ROOT);
    }

    public double getTolerance() {
        return tolerance;
    }

    @DataBoundSetter
    public void setTolerance(double tolerance) {
        this.tolerance = tolerance;
    }

    public double getMaxDisagreement() {
        return maxDisagreement;
    }

    @DataBoundSetter
    public void setMaxDisagreement(double maxDisagreement) {
        this.maxDisagreement = maxDisagreement;
    }

    public double getMaxShadowErrorRate() {
        return maxShadowErrorRate;
    }

    @DataBoundSetter
    public void setMaxShadowErrorRate(double maxShadowErrorRate) {
        this.maxShadowErrorRate = maxShadowErrorRate;
    }

    public double getMaxLatencyRatio() {
        return maxLatencyRatio;
    }

    @DataBoundSetter
    public void setMaxLatencyRatio(double maxLatencyRatio) {
        this.maxLatencyRatio = maxLatencyRatio;
    }

    public int getMirrorQueue() {
        return mirrorQueue;
    }

    @DataBoundSetter
    public void setMirrorQueue(int mirrorQueue) {
        this.mirrorQueue = mirrorQueue;
    }

    public String getMirrorTimeout() {
        return mirrorTimeout;
    }

    @DataBoundSetter
    public void setMirrorTimeout(String mirrorTimeout) {
        this.mirrorTimeout = Util.fixEmptyAndTrim(mirrorTimeout) == null ? "10s" : mirrorTimeout.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new InterruptibleEngineExecution(context, ShadowResult.STEP, "the shadow router (listen " + listen
                + ") ran in the JVM of the node that held the workspace; if that was an agent, it may still be mirroring"
                + " there: restart that agent", (c, interruptId) -> {
            StepRun run = StepRun.of(c);
            Properties credentials = PredictionLogs.credentials(run.env());
            Call call = new Call(run.listener(), getReport(), this, credentials);
            return ResultMaps.of(run.execute(call.interruptibleAs(interruptId), ShadowAction::new, Status.FAIL,
                    isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<ShadowResult> {
        private static final long serialVersionUID = 1L;
        private final String primary;
        private final String shadow;
        private final String listen;
        private final Long requests;
        private final String duration;
        private final String replay;
        private final String replayPath;
        private final String log;
        private final String payload;
        private final String compare;
        private final double tolerance;
        private final double maxDisagreement;
        private final double maxShadowErrorRate;
        private final double maxLatencyRatio;
        private final int mirrorQueue;
        private final String mirrorTimeout;
        private final Properties logCredentials;

        Call(TaskListener listener, String report, ShadowDeployStep step, Properties logCredentials) {
            super(listener, PredictionLogs.masker(logCredentials), report);
            this.primary = step.primary;
            this.shadow = step.shadow;
            this.listen = step.listen;
            this.requests = step.requests;
            this.duration = step.duration;
            this.replay = step.replay;
            this.replayPath = step.replayPath;
            this.log = step.log;
            this.payload = step.payload;
            this.compare = step.compare;
            this.tolerance = step.tolerance;
            this.maxDisagreement = step.maxDisagreement;
            this.maxShadowErrorRate = step.maxShadowErrorRate;
            this.maxLatencyRatio = step.maxLatencyRatio;
            this.mirrorQueue = step.mirrorQueue;
            this.mirrorTimeout = step.mirrorTimeout;
            this.logCredentials = logCredentials;
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
            ShadowConfig config = new ShadowConfig(url(primary, "primary"), url(shadow, "shadow"), listen, requests,
                    duration == null ? null : Durations.parse(duration, "duration"), PredictionLogs.jdbcUrl(log, workspace),
                    enumValue(PayloadMode.class, payload, "payload"), enumValue(CompareMode.class, compare, "compare"),
                    tolerance, maxDisagreement, maxShadowErrorRate, maxLatencyRatio,
                    replay == null ? null : workspace.resolve(replay), replayPath, mirrorQueue,
                    Durations.parse(mirrorTimeout, "mirrorTimeout"));
            return ShadowStep.run(config, logCredentials, progress);
        }
    }

    static URI url(String value, String parameter) {
        if (value == null) {
            throw new BadInputException(parameter + " is required: a URL like http://host:8080");
        }
        try {
            URI uri = URI.create(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new BadInputException(parameter + ": '" + value + "' is not a URL like http://host:8080");
        }
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String value, String parameter) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        throw new BadInputException(parameter + ": '" + value + "' is not one of "
                + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    @Extension
    @Symbol("shadowDeploy")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
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

        public FormValidation doCheckPrimary(@QueryParameter String value) {
            return FormChecks.required(value, "the model server that answers clients");
        }

        public FormValidation doCheckShadow(@QueryParameter String value) {
            return FormChecks.required(value, "the candidate that gets a copy of each request");
        }
    }
}
