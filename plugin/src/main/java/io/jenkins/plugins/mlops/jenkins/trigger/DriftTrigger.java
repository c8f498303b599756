package io.jenkins.plugins.mlops.jenkins.trigger;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Job;
import hudson.security.ACL;
import hudson.triggers.Trigger;
import hudson.triggers.TriggerDescriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.data.ColumnDrift;
import io.jenkins.plugins.mlops.data.DataValidator;
import io.jenkins.plugins.mlops.data.ValidateDataParameters;
import io.jenkins.plugins.mlops.data.ValidationConfig;
import io.jenkins.plugins.mlops.data.ValidationResult;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.jenkins.CredentialItems;
import io.jenkins.plugins.mlops.jenkins.MlopsConfiguration;
import io.jenkins.plugins.mlops.jenkins.steps.EngineItems;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jenkins.model.ParameterizedJobMixIn;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Continuous Training: starts the job when the data drifts from the reference profile it was
 * trained on. On its schedule it profiles {@code data} (a file or a directory of partitions the
 * controller can read, under a root an administrator approved in the global configuration) against {@code referenceProfile} with core's drift tests and starts a build
 * when a column drifts at {@code driftOn} or worse, once per new dataset (by fingerprint). A
 * monitoring system can start the same job through {@link RetrainWebhook} with the token in
 * {@code webhookCredentialsId}.
 * With {@code engine: 'spark'} and {@code sparkRemote} (validateData's keys) a Spark Connect server
 * computes the profile instead of DuckDB on the controller; the controller's JVM then needs
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED}, as an agent does for the step.
 * <pre>
 * properties([pipelineTriggers([mlopsDrift(spec: 'H * * * *', data: '/data/churn/current',
 *         referenceProfile: '/data/churn/train-profile.json', webhookCredentialsId: 'churn-alert-token')])])
 * </pre>
 */
public class DriftTrigger extends Trigger<Job<?, ?>> {
    private static final Logger LOGGER = Logger.getLogger(DriftTrigger.class.getName());

    private String data;
    private String referenceProfile;
    private String driftOn = "warn";
    private String webhookCredentialsId;
    /** validateData's {@code engine} and {@code sparkRemote}: null for DuckDB on the controller. */
    private String engine;
    private String sparkRemote;

    /** Fingerprint of the last dataset that started a build, so one drifted dataset starts one build. */
    private transient volatile String lastStarted;
    private transient AtomicBoolean checking;

    @DataBoundConstructor
    public DriftTrigger(String spec) {
        super(spec == null ? "" : spec);
    }

    @CheckForNull
    public String getData() {
        return data;
    }

    @DataBoundSetter
    public void setData(String data) {
        this.data = Util.fixEmptyAndTrim(data);
    }

    @CheckForNull
    public String getReferenceProfile() {
        return referenceProfile;
    }

    @DataBoundSetter
    public void setReferenceProfile(String referenceProfile) {
        this.referenceProfile = Util.fixEmptyAndTrim(referenceProfile);
    }

    /** {@code warn} (default: a noticeable move) or {@code fail} (a large one). */
    public String getDriftOn() {
        return driftOn;
    }

    @DataBoundSetter
    public void setDriftOn(String driftOn) {
        this.driftOn = Util.fixEmptyAndTrim(driftOn) == null ? "warn" : driftOn.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The id of the Secret text credentials that hold the webhook token, visible to the job (its
     * folder's or global, not SYSTEM): an id, so a Jenkinsfile's {@code properties([...])} can set it
     * and rewriting the triggers at every build keeps it.
     */
    @CheckForNull
    public String getWebhookCredentialsId() {
        return webhookCredentialsId;
    }

    @DataBoundSetter
    public void setWebhookCredentialsId(String webhookCredentialsId) {
        this.webhookCredentialsId = Util.fixEmptyAndTrim(webhookCredentialsId);
    }

    /** {@code duckdb} (default: on the controller) or {@code spark}: what computes the batch's profile, as validateData's {@code engine}. */
    @CheckForNull
    public String getEngine() {
        return engine;
    }

    @DataBoundSetter
    public void setEngine(String engine) {
        this.engine = Util.fixEmptyAndTrim(engine);
    }

    /** The Spark Connect server ({@code sc://HOST:PORT}) for engine {@code spark}, as validateData's {@code sparkRemote}. */
    @CheckForNull
    public String getSparkRemote() {
        return sparkRemote;
    }

    @DataBoundSetter
    public void setSparkRemote(String sparkRemote) {
        this.sparkRemote = Util.fixEmptyAndTrim(sparkRemote);
    }

    /**
     * What the scan validates, read through validateData's catalogue, so the engine's keys, choices and
     * messages are the step's; DuckDB gets the controller's small budget ({@link DriftScans#ENGINE}).
     */
    ValidationConfig config() {
        return ValidateDataParameters.builder().set("data", data).set("referenceProfile", referenceProfile)
                .set("memoryLimit", DriftScans.ENGINE.memoryLimit()).set("threads", DriftScans.ENGINE.threads())
                .set("engine", engine).set("sparkRemote", sparkRemote).build().config(Path.of(""));
    }

    /** Whether {@code token} is this job's webhook token; constant time, so timing tells nothing about it. */
    boolean acceptsToken(String token) {
        Job<?, ?> target = job;
        if (webhookCredentialsId == null || token == null || target == null) {
            return false;
        }
        StringCredentials secret = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItem(StringCredentials.class, target, ACL.SYSTEM2, List.of()),
                CredentialsMatchers.withId(webhookCredentialsId));
        return secret != null && MessageDigest.isEqual(secret.getSecret().getPlainText().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void run() {
        Job<?, ?> target = job;
        if (target == null || data == null || referenceProfile == null) {
            return;
        }
        synchronized (this) {
            if (checking == null) {
                checking = new AtomicBoolean();
            }
        }
        // A scan can take minutes; the cron thread must not wait for it, and two scans must not overlap.
        if (!checking.compareAndSet(false, true)) {
            LOGGER.fine(() -> target.getFullName() + ": the previous drift check still runs");
            return;
        }
        boolean queued = DriftScans.shared().submit(() -> {
            try {
                check(target);
            } finally {
                checking.set(false);
            }
        });
        if (!queued) {
            checking.set(false);
            LOGGER.warning(() -> target.getFullName() + ": drift check skipped, " + DriftScans.QUEUE + " scans already wait");
        }
    }

    void check(Job<?, ?> target) {
        String refused = DriftDataRoots.refusal(MlopsConfiguration.get().driftDataRootList(), data, referenceProfile);
        if (refused != null) {
            LOGGER.log(Level.WARNING, "{0}: drift check not run: {1}", new Object[] {target.getFullName(), refused});
            return;
        }
        ValidationResult result;
        try {
            result = new DataValidator(line -> LOGGER.finer(line)).validate(config());
        } catch (BadInputException | InfrastructureException e) {
            LOGGER.log(Level.WARNING, "{0}: drift check of {1} failed: {2}", new Object[] {target.getFullName(), data, e.getMessage()});
            return;
        }
        List<ColumnDrift> drifted = drifted(result, "fail".equals(driftOn) ? Status.FAIL : Status.WARN);
        if (drifted.isEmpty() || result.dataFingerprint().equals(lastStarted)) {
            return;
        }
        String columns = drifted.stream().map(ColumnDrift::column).collect(Collectors.joining(", "));
        DriftCause cause = new DriftCause("Started by mlops: drift in " + columns + " of " + data);
        if (ParameterizedJobMixIn.scheduleBuild2(target, -1, new hudson.model.CauseAction(cause)) != null) {
            lastStarted = result.dataFingerprint();
            LOGGER.info(() -> target.getFullName() + ": " + cause.getShortDescription());
        }
    }

    /** The columns whose drift is at least {@code level}. */
    static List<ColumnDrift> drifted(ValidationResult result, Status level) {
        return result.drift().stream().filter(d -> d.tested() && d.status().isAtLeast(level)).toList();
    }

    @Extension
    @Symbol("mlopsDrift")
    public static final class DescriptorImpl extends TriggerDescriptor {
        @Override
        public boolean isApplicable(Item item) {
            return item instanceof ParameterizedJobMixIn.ParameterizedJob;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.DriftTrigger_DisplayName();
        }

        public ListBoxModel doFillDriftOnItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("a column moved noticeably (WARN)", "warn");
            items.add("a column moved far (FAIL)", "fail");
            return items;
        }

        public ListBoxModel doFillEngineItems() {
            return EngineItems.items("on the controller");
        }

        @POST
        public ListBoxModel doFillWebhookCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String webhookCredentialsId) {
            return CredentialItems.forJob(item, StringCredentials.class, webhookCredentialsId);
        }

        @POST
        public FormValidation doCheckData(@QueryParameter String value, @AncestorInPath Item item) {
            return checkRoot(value, item);
        }

        @POST
        public FormValidation doCheckReferenceProfile(@QueryParameter String value, @AncestorInPath Item item) {
            return checkRoot(value, item);
        }

        private static FormValidation checkRoot(String value, Item item) {
            if (item == null || !item.hasPermission(Item.CONFIGURE) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok();
            }
            String refused = DriftDataRoots.refusal(MlopsConfiguration.get().driftDataRootList(), value);
            return refused == null ? FormValidation.ok() : FormValidation.error(refused);
        }

        @POST
        public FormValidation doCheckSpec(@QueryParameter String value, @AncestorInPath Item item) {
            if (item == null || !item.hasPermission(Item.CONFIGURE)) {
                return FormValidation.ok();
            }
            if (Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok("No schedule: only the webhook starts builds.");
            }
            try {
                hudson.scheduler.CronTabList.create(value);
                return FormValidation.ok();
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
