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
import io.jenkins.plugins.mlops.jenkins.actions.GateAction;
import io.jenkins.plugins.mlops.result.Status;
import java.io.IOException;
import jenkins.model.Jenkins;
import jenkins.tasks.SimpleBuildStep;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code gateModel} as a freestyle build step. It keeps a {@link GateModelStep} for its
 * parameters, so both forms take the same parameters, help and validation.
 */
public class GateModelBuilder extends Builder implements SimpleBuildStep {
    private final GateModelStep step;

    @DataBoundConstructor
    public GateModelBuilder(String candidate, String label) {
        this.step = new GateModelStep(candidate, label);
    }

    public String getCandidate() {
        return step.getCandidate();
    }

    public String getLabel() {
        return step.getLabel();
    }

    public String getPrediction() {
        return step.getPrediction();
    }

    @DataBoundSetter
    public void setPrediction(String prediction) {
        step.setPrediction(prediction);
    }

    public String getBaseline() {
        return step.getBaseline();
    }

    @DataBoundSetter
    public void setBaseline(String baseline) {
        step.setBaseline(baseline);
    }

    public String getBaselineMetrics() {
        return step.getBaselineMetrics();
    }

    @DataBoundSetter
    public void setBaselineMetrics(String baselineMetrics) {
        step.setBaselineMetrics(baselineMetrics);
    }

    public String getBaselineModel() {
        return step.getBaselineModel();
    }

    @DataBoundSetter
    public void setBaselineModel(String baselineModel) {
        step.setBaselineModel(baselineModel);
    }

    public String getRegistry() {
        return step.getRegistry();
    }

    @DataBoundSetter
    public void setRegistry(String registry) {
        step.setRegistry(registry);
    }

    public String getScore() {
        return step.getScore();
    }

    @DataBoundSetter
    public void setScore(String score) {
        step.setScore(score);
    }

    public double getThreshold() {
        return step.getThreshold();
    }

    @DataBoundSetter
    public void setThreshold(double threshold) {
        step.setThreshold(threshold);
    }

    public String getId() {
        return step.getId();
    }

    @DataBoundSetter
    public void setId(String id) {
        step.setId(id);
    }

    public String getTask() {
        return step.getTask();
    }

    @DataBoundSetter
    public void setTask(String task) {
        step.setTask(task);
    }

    public String getMetric() {
        return step.getMetric();
    }

    @DataBoundSetter
    public void setMetric(String metric) {
        step.setMetric(metric);
    }

    public String getPolicy() {
        return step.getPolicy();
    }

    @DataBoundSetter
    public void setPolicy(String policy) {
        step.setPolicy(policy);
    }

    public double getConfidence() {
        return step.getConfidence();
    }

    @DataBoundSetter
    public void setConfidence(double confidence) {
        step.setConfidence(confidence);
    }

    public int getResamples() {
        return step.getResamples();
    }

    @DataBoundSetter
    public void setResamples(int resamples) {
        step.setResamples(resamples);
    }

    public long getSeed() {
        return step.getSeed();
    }

    @DataBoundSetter
    public void setSeed(long seed) {
        step.setSeed(seed);
    }

    public String getSlice() {
        return step.getSlice();
    }

    @DataBoundSetter
    public void setSlice(String slice) {
        step.setSlice(slice);
    }

    public String getPositiveClass() {
        return step.getPositiveClass();
    }

    @DataBoundSetter
    public void setPositiveClass(String positiveClass) {
        step.setPositiveClass(positiveClass);
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
        StepRun stepRun = new StepRun(run, workspace, env, listener, null);
        stepRun.execute(step.call(stepRun), GateAction::new, Status.FAIL, step.isUnstableOnFailure());
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
            return Messages.GateModelBuilder_DisplayName();
        }

        /** The Pipeline step's help, so that both forms explain a parameter the same way. */
        @Override
        public String getHelpFile(String fieldName) {
            return stepDescriptor().getHelpFile(fieldName);
        }

        public ListBoxModel doFillTaskItems() {
            return stepDescriptor().doFillTaskItems();
        }

        private static GateModelStep.DescriptorImpl stepDescriptor() {
            return Jenkins.get().getDescriptorByType(GateModelStep.DescriptorImpl.class);
        }
    }
}
