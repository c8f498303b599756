package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.jenkins.plugins.mlops.io.Durations;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.SmokeTrainAction;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.train.ByteSize;
import io.jenkins.plugins.mlops.train.Perturbation;
import io.jenkins.plugins.mlops.train.SmokeTrainConfig;
import io.jenkins.plugins.mlops.train.SmokeTrainResult;
import io.jenkins.plugins.mlops.train.SmokeTraining;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
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
 */
public class SmokeTrainStep extends MlopsStep {
    private final String data;
    private final String command;
    private long rows = SmokeTrainConfig.DEFAULT_ROWS;
    private int epochs = SmokeTrainConfig.DEFAULT_EPOCHS;
    private String timeout = "5m";
    private String memory = "2g";
    private String label;
    private long seed = SmokeTrainConfig.DEFAULT_SEED;
    private String out;
    private String expectOutput;
    private List<String> perturb = List.of();

    @DataBoundConstructor
    public SmokeTrainStep(String data, String command) {
        this.data = data;
        this.command = command;
    }

    public String getData() {
        return data;
    }

    public String getCommand() {
        return command;
    }

    public long getRows() {
        return rows;
    }

    @DataBoundSetter
    public void setRows(long rows) {
        this.rows = rows;
    }

    public int getEpochs() {
        return epochs;
    }

    @DataBoundSetter
    public void setEpochs(int epochs) {
        this.epochs = epochs;
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = Util.fixEmptyAndTrim(timeout) == null ? "5m" : timeout.trim();
    }

    public String getMemory() {
        return memory;
    }

    @DataBoundSetter
    public void setMemory(String memory) {
        this.memory = Util.fixEmptyAndTrim(memory) == null ? "2g" : memory.trim();
    }

    @CheckForNull
    public String getLabel() {
        return label;
    }

    @DataBoundSetter
    public void setLabel(String label) {
        this.label = Util.fixEmptyAndTrim(label);
    }

    public long getSeed() {
        return seed;
    }

    @DataBoundSetter
    public void setSeed(long seed) {
        this.seed = seed;
    }

    @CheckForNull
    public String getOut() {
        return out;
    }

    @DataBoundSetter
    public void setOut(String out) {
        this.out = Util.fixEmptyAndTrim(out);
    }

    /** Files the script must write, comma- or newline-separated ({@code {out}} allowed). */
    @CheckForNull
    public String getExpectOutput() {
        return expectOutput;
    }

    @DataBoundSetter
    public void setExpectOutput(String expectOutput) {
        this.expectOutput = Util.fixEmptyAndTrim(expectOutput);
    }

    /** The perturbations as the Snippet Generator writes them, e.g. {@code nan,unseen-category}; null for none. */
    @CheckForNull
    public String getPerturb() {
        return perturb.isEmpty() ? null : String.join(",", perturb);
    }

    /**
     * A list ({@code perturb: ['nan', 'empty-column=age']}) or one comma-separated string
     * ({@code perturb: 'nan,unseen-category'}, the Snippet Generator's text field): both read naturally
     * in a Jenkinsfile, so the parameter takes either.
     */
    @DataBoundSetter
    public void setPerturb(Object perturb) {
        if (perturb instanceof List<?> items) {
            this.perturb = items.stream().map(String::valueOf).toList();
        } else {
            this.perturb = Lists.items(perturb == null ? null : String.valueOf(perturb));
        }
    }

    @Override
    public StepExecution start(StepContext context) {
        return StepExecutions.synchronousNonBlocking(context, c -> {
            StepRun run = StepRun.of(c);
            Call call = new Call(run.listener(), getReport(), data, Lists.command(command), rows, epochs, timeout, memory,
                    label, seed, out, Lists.items(expectOutput), perturb, run.env());
            return ResultMaps.of(run.execute(call, SmokeTrainAction::new, Status.FAIL, isUnstableOnFailure()));
        });
    }

    static final class Call extends EngineCall<SmokeTrainResult> {
        private static final long serialVersionUID = 1L;
        private final String data;
        private final List<String> command;
        private final long rows;
        private final int epochs;
        private final String timeout;
        private final String memory;
        private final String label;
        private final long seed;
        private final String out;
        private final List<String> expectOutputs;
        private final List<String> perturb;
        /** The build's environment (withEnv, withCredentials, tool PATHs), which the agent's JVM does not have. */
        private final EnvVars environment;

        @SuppressWarnings("checkstyle:ParameterNumber") // one per CLI option, and the build's environment
        Call(TaskListener listener, String report, String data, List<String> command, long rows, int epochs, String timeout,
                String memory, String label, long seed, String out, List<String> expectOutputs, List<String> perturb,
                EnvVars environment) {
            super(listener, SecretMasker.NONE, report);
            this.data = data;
            this.command = command;
            this.rows = rows;
            this.epochs = epochs;
            this.timeout = timeout;
            this.memory = memory;
            this.label = label;
            this.seed = seed;
            this.out = out;
            this.expectOutputs = expectOutputs;
            this.perturb = List.copyOf(perturb);
            this.environment = environment;
        }

        @Override
        protected String stepName() {
            return SmokeTrainResult.STEP;
        }

        @Override
        protected ReportKind<SmokeTrainResult> kind() {
            return ReportKind.SMOKE;
        }

        @Override
        protected SmokeTrainResult run(Path workspace, Consumer<String> progress) {
            // The workspace is the working directory: relative paths in the command and the options resolve there.
            SmokeTrainConfig config = new SmokeTrainConfig(data, rows, epochs, Durations.parse(timeout, "timeout"),
                    ByteSize.parse(memory, "memory"), label, seed, out, expectOutputs, workspace.toString(), command,
                    Perturbation.parse(perturb));
            return new SmokeTraining().run(config, environment, progress);
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
            return FormChecks.required(value, "the training data");
        }

        public FormValidation doCheckCommand(@QueryParameter String value) {
            return FormChecks.required(value, "the training command, e.g. python train.py --data {data}");
        }
    }
}
