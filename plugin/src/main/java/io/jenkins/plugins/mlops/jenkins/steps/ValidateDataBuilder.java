package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mlops.jenkins.actions.ValidationAction;
import java.io.IOException;
import jenkins.model.Jenkins;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code validateData} as a freestyle build step. It keeps a {@link ValidateDataStep} for its
 * parameters, so both forms take the same parameters, help and validation.
 */
public class ValidateDataBuilder extends Builder implements SimpleBuildStep {
    private final ValidateDataStep step;

    @DataBoundConstructor
    public ValidateDataBuilder(String data) {
        this.step = new ValidateDataStep(data);
    }

    public String getData() {
        return step.getData();
    }

    public String getReference() {
        return step.getReference();
    }

    @DataBoundSetter
    public void setReference(String reference) {
        step.setReference(reference);
    }

    public String getReferenceProfile() {
        return step.getReferenceProfile();
    }

    @DataBoundSetter
    public void setReferenceProfile(String referenceProfile) {
        step.setReferenceProfile(referenceProfile);
    }

    public String getSchema() {
        return step.getSchema();
    }

    @DataBoundSetter
    public void setSchema(String schema) {
        step.setSchema(schema);
    }

    public String getFailOn() {
        return step.getFailOn();
    }

    @DataBoundSetter
    public void setFailOn(String failOn) {
        step.setFailOn(failOn);
    }

    public String getMemoryLimit() {
        return step.getMemoryLimit();
    }

    @DataBoundSetter
    public void setMemoryLimit(String memoryLimit) {
        step.setMemoryLimit(memoryLimit);
    }

    public int getThreads() {
        return step.getThreads();
    }

    @DataBoundSetter
    public void setThreads(int threads) {
        step.setThreads(threads);
    }

    public String getEngine() {
        return step.getEngine();
    }

    @DataBoundSetter
    public void setEngine(String engine) {
        step.setEngine(engine);
    }

    public String getSparkRemote() {
        return step.getSparkRemote();
    }

    @DataBoundSetter
    public void setSparkRemote(String sparkRemote) {
        step.setSparkRemote(sparkRemote);
    }

    public String getDelimiter() {
        return step.getDelimiter();
    }

    @DataBoundSetter
    public void setDelimiter(String delimiter) {
        step.setDelimiter(delimiter);
    }

    public String getReport() {
        return step.getReport();
    }

    @DataBoundSetter
    public void setReport(String report) {
        step.setReport(report);
    }

    public boolean isUnstableOnFailure() {
        return step.isUnstableOnFailure();
    }

    @DataBoundSetter
    public void setUnstableOnFailure(boolean unstableOnFailure) {
        step.setUnstableOnFailure(unstableOnFailure);
    }

    @Override
    public void perform(@NonNull Run<?, ?> run, @NonNull FilePath workspace, @NonNull EnvVars env,
            @NonNull Launcher launcher, @NonNull TaskListener listener) throws InterruptedException, IOException {
        ValidateDataStep.Call call = step.call(listener);
        new StepRun(run, workspace, env, listener, null)
                .execute(call, ValidationAction::new, call.failAt(), step.isUnstableOnFailure());
    }

    @Extension
    public static final class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.ValidateDataBuilder_DisplayName();
        }

        /** The Pipeline step's help, so that both forms explain a parameter the same way. */
        @Override
        public String getHelpFile(String fieldName) {
            return Jenkins.get().getDescriptorByType(ValidateDataStep.DescriptorImpl.class).getHelpFile(fieldName);
        }

        public ListBoxModel doFillEngineItems() {
            return EngineItems.items();
        }

        public ListBoxModel doFillFailOnItems() {
            return FailOnItems.items();
        }
    }
}
