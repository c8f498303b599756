package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Launcher;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.SmokeTrainAction;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.SmokeTrainParameters;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import io.jenkins.plugins.mlops.train.SmokeTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.StepExecutions;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code smokeTrain}: the training command on a small sample for a couple of epochs under a time
 * and a memory limit, as {@code mlops smoke-train} runs it; fails with the failure's class.
 * <pre>
 * smokeTrain data: 'data/train.csv', label: 'churned', expectOutput: '{out}/model.pkl',
 *            command: 'python train.py --data {data} --epochs {epochs} --model-dir {out}'
 * </pre>
 * The parameters are core's ({@link SmokeTrainParameters#CATALOGUE}).
 */
public class SmokeTrainStep extends MlopsStep {
    private static final StepParameters PARAMETERS = new StepParameters(SmokeTrainParameters.CATALOGUE, Map.of());

    private final TreeMap<String, Object> values = new TreeMap<>();

    @DataBoundConstructor
    public SmokeTrainStep(String data, String command) {
        PARAMETERS.set(values, "data", data);
        PARAMETERS.set(values, "command", command);
    }

    public String getData() {
        return PARAMETERS.text(values, "data");
    }

    public String getCommand() {
        return PARAMETERS.text(values, "command");
    }

    public long getRows() {
        return PARAMETERS.whole(values, "rows");
    }

    @DataBoundSetter
    public void setRows(long rows) {
        PARAMETERS.set(values, "rows", rows);
    }

    public int getEpochs() {
        return (int) PARAMETERS.whole(values, "epochs");
    }

    @DataBoundSetter
    public void setEpochs(int epochs) {
        PARAMETERS.set(values, "epochs", epochs);
    }

    public String getTimeout() {
        return PARAMETERS.text(values, "timeout");
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        PARAMETERS.set(values, "timeout", timeout);
    }

    public String getMemory() {
        return PARAMETERS.text(values, "memory");
    }

    @DataBoundSetter
    public void setMemory(String memory) {
        PARAMETERS.set(values, "memory", memory);
    }

    @CheckForNull
    public String getLabel() {
        return PARAMETERS.text(values, "label");
    }

    @DataBoundSetter
    public void setLabel(String label) {
        PARAMETERS.set(values, "label", label);
    }

    public long getSeed() {
        return PARAMETERS.whole(values, "seed");
    }

    @DataBoundSetter
    public void setSeed(long seed) {
        PARAMETERS.set(values, "seed", seed);
    }

    @CheckForNull
    public String getOut() {
        return PARAMETERS.text(values, "out");
    }

    @DataBoundSetter
    public void setOut(String out) {
        PARAMETERS.set(values, "out", out);
    }

    /** Files the script must write, comma- or newline-separated ({@code {out}} allowed). */
    @CheckForNull
    public String getExpectOutput() {
        return PARAMETERS.text(values, "expectOutput");
    }

    @DataBoundSetter
    public void setExpectOutput(String expectOutput) {
        PARAMETERS.set(values, "expectOutput", expectOutput);
    }

    /** The perturbations as the Snippet Generator writes them, e.g. {@code nan,unseen-category}; null for none. */
    @CheckForNull
    public String getPerturb() {
        Object perturb = values.get("perturb");
        if (perturb instanceof List<?> items) {
            return items.isEmpty() ? null : items.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return (String) perturb;
    }

    /**
     * A list ({@code perturb: ['nan', 'empty-column=age']}) or one comma-separated string
     * ({@code perturb: 'nan,unseen-category'}, the Snippet Generator's text field): both read naturally
     * in a Jenkinsfile, so the parameter takes either.
     */
    @DataBoundSetter
    public void setPerturb(Object perturb) {
        PARAMETERS.set(values, "perturb", perturb instanceof List<?> items ? items.stream().map(String::valueOf).toList()
                : perturb == null ? null : String.valueOf(perturb));
    }

    /** The parameters, checked by core; the expected outputs split on commas too, as the perturbations do. */
    SmokeTrainParameters parameters() throws AbortException {
        Map<String, Object> given = new TreeMap<>(values);
        given.computeIfPresent("expectOutput", (name, text) -> Lists.items(String.valueOf(text)));
        return PARAMETERS.build(given, SmokeTrainParameters.builder());
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StepRun run = StepRun.of(c);
            Call call = new Call(run.listener(), getReport(), parameters(), run.env(),
                    ContextLauncher.forStep(c.get(Launcher.class), run.listener(), run.workspace()));
            return ResultMaps.of(run.execute(call, SmokeTrainAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<SmokeTrainResult> {
        private static final long serialVersionUID = 1L;
        private final SmokeTrainParameters parameters;
        /** The build's environment (withEnv, withCredentials, tool PATHs), which the agent's JVM does not have. */
        private final EnvVars environment;
        /** The step's decorated launcher (container()), or null to start the command on the agent itself. */
        @CheckForNull
        private final ContextLauncher.Starter starter;

        Call(TaskListener listener, String report, SmokeTrainParameters parameters, EnvVars environment,
                @CheckForNull ContextLauncher.Starter starter) {
            super(listener, SecretMasker.NONE, report);
            this.parameters = parameters;
            this.environment = environment;
            this.starter = starter;
        }

        @Override
        protected String stepName() {
            return SmokeTrainResult.STEP;
        }

        @Override
        protected ReportKind<SmokeTrainResult> kind() {
            return ReportKind.SMOKE;
        }

        /** The workspace is the working directory: relative paths in the command and the parameters resolve there. */
        @Override
        protected SmokeTrainResult run(Path workspace, Consumer<String> progress) {
            SmokeTraining training = starter == null ? new SmokeTraining() : new SmokeTraining(starter);
            return training.run(parameters.config(workspace.toString()), environment, progress);
        }
    }

    @Extension
    @Symbol("smokeTrain")
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "smokeTrain";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.SmokeTrainStep_DisplayName();
        }

        @Override
        protected String[] summaryArguments() {
            return new String[] {"command"};
        }

        public FormValidation doCheckData(@QueryParameter String value) {
            return FormChecks.required(SmokeTrainParameters.CATALOGUE, "data", value, "the training data");
        }

        public FormValidation doCheckCommand(@QueryParameter String value) {
            return FormChecks.required(SmokeTrainParameters.CATALOGUE, "command", value,
                    "the training command, e.g. python train.py --data {data}");
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return FormChecks.value(SmokeTrainParameters.CATALOGUE, "timeout", value);
        }
    }
}
