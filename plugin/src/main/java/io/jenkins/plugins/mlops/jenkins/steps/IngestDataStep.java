package io.jenkins.plugins.mlops.jenkins.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.ingest.IngestParameters;
import io.jenkins.plugins.mlops.ingest.IngestResult;
import io.jenkins.plugins.mlops.ingest.IngestStep;
import io.jenkins.plugins.mlops.jenkins.CredentialItems;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.IngestAction;
import io.jenkins.plugins.mlops.result.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code ingestData}: a window of the warehouse into a Parquet file in the workspace, with its
 * lineage beside it, as {@code mlops ingest} does; the warehouse's user and password come from a
 * username/password credentials id and are masked wherever the step prints.
 * <pre>
 * ingestData jdbcUrl: 'jdbc:postgresql://warehouse:5432/analytics', credentialsId: 'warehouse-reader',
 *     query: 'SELECT * FROM labelled WHERE day &gt;= :start AND day &lt; :end',
 *     param: "start=${START}\nend=${END}", output: 'data/batch.parquet'
 * </pre>
 */
public class IngestDataStep extends MlopsStep {
    private static final StepParameters PARAMETERS = new StepParameters(IngestParameters.CATALOGUE, Map.of());

    private final TreeMap<String, Object> values = new TreeMap<>();
    private String credentialsId;

    @DataBoundConstructor
    public IngestDataStep(String jdbcUrl) {
        PARAMETERS.set(values, "jdbcUrl", jdbcUrl);
    }

    public String getJdbcUrl() {
        return PARAMETERS.text(values, "jdbcUrl");
    }

    @CheckForNull
    public String getQuery() {
        return PARAMETERS.text(values, "query");
    }

    @DataBoundSetter
    public void setQuery(String query) {
        PARAMETERS.set(values, "query", query);
    }

    @CheckForNull
    public String getQueryFile() {
        return PARAMETERS.text(values, "queryFile");
    }

    @DataBoundSetter
    public void setQueryFile(String queryFile) {
        PARAMETERS.set(values, "queryFile", queryFile);
    }

    /** The query's parameters, one {@code NAME=VALUE} per line. */
    @CheckForNull
    public String getParam() {
        return PARAMETERS.text(values, "param");
    }

    @DataBoundSetter
    public void setParam(String param) {
        PARAMETERS.set(values, "param", param);
    }

    @CheckForNull
    public String getOutput() {
        return PARAMETERS.text(values, "output");
    }

    @DataBoundSetter
    public void setOutput(String output) {
        PARAMETERS.set(values, "output", output);
    }

    public String getMemoryLimit() {
        return PARAMETERS.text(values, "memoryLimit");
    }

    @DataBoundSetter
    public void setMemoryLimit(String memoryLimit) {
        PARAMETERS.set(values, "memoryLimit", memoryLimit);
    }

    public long getFetchSize() {
        return PARAMETERS.whole(values, "fetchSize");
    }

    @DataBoundSetter
    public void setFetchSize(long fetchSize) {
        PARAMETERS.set(values, "fetchSize", fetchSize);
    }

    public String getTimeout() {
        return PARAMETERS.text(values, "timeout");
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        PARAMETERS.set(values, "timeout", timeout);
    }

    /** The warehouse's username/password credentials; none connects without a password. */
    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StepRun run = StepRun.of(c);
            IngestParameters checked = PARAMETERS.build(values, IngestParameters.builder());
            Properties credentials = new Properties();
            SecretMasker masker = SecretMasker.NONE;
            StandardUsernamePasswordCredentials found = credentials(credentialsId, run.run());
            if (found != null) {
                String password = found.getPassword().getPlainText();
                credentials.setProperty("user", found.getUsername());
                credentials.setProperty("password", password);
                masker = new SecretMasker(List.of(password));
            }
            Call call = new Call(run.listener(), masker, getReport(), credentials, checked);
            return ResultMaps.of(run.execute(call, IngestAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    @CheckForNull
    private static StandardUsernamePasswordCredentials credentials(@CheckForNull String id, Run<?, ?> run) throws AbortException {
        if (id == null) {
            return null;
        }
        StandardUsernamePasswordCredentials found = CredentialsProvider.findCredentialById(id,
                StandardUsernamePasswordCredentials.class, run);
        if (found == null) {
            throw new AbortException("ingestData: warehouse credentials '" + id + "' not found, or not a username with password");
        }
        CredentialsProvider.track(run, found);
        return found;
    }

    static final class Call extends EngineCall<IngestResult> {
        private static final long serialVersionUID = 1L;
        private final Properties credentials;
        private final IngestParameters parameters;

        Call(TaskListener listener, SecretMasker masker, String report, Properties credentials, IngestParameters parameters) {
            super(listener, masker, report);
            this.credentials = credentials;
            this.parameters = parameters;
        }

        @Override
        protected String stepName() {
            return IngestResult.STEP;
        }

        @Override
        protected ReportKind<IngestResult> kind() {
            return ReportKind.INGEST;
        }

        /** Runs on the agent that holds the workspace, where the Parquet file is written. */
        @Override
        protected IngestResult run(Path workspace, Consumer<String> progress) {
            return IngestStep.run(parameters, credentials, workspace, progress);
        }
    }

    @Extension
    @Symbol("ingestData")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "ingestData";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.IngestDataStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"output"};
        }

        public FormValidation doCheckJdbcUrl(@QueryParameter String value) {
            return FormChecks.required(IngestParameters.CATALOGUE, "jdbcUrl", value, "a jdbc:postgresql: URL");
        }

        /** Username/password credentials the job's builds can read; only people who configure the job see the list. */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
            return CredentialItems.forJob(item, StandardUsernamePasswordCredentials.class, credentialsId);
        }
    }
}
