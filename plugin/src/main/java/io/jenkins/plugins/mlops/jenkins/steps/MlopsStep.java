package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What every mlops step takes besides its own parameters: where to write the report files and
 * whether a failed verdict fails the build or only marks it UNSTABLE.
 */
public abstract class MlopsStep extends Step {
    private String report;
    private boolean unstableOnFailure;

    /** A workspace directory for the step's JSON, HTML and JUnit XML files (as {@code --report DIR}), or null for none. */
    @CheckForNull
    public String getReport() {
        return report;
    }

    @DataBoundSetter
    public void setReport(String report) {
        this.report = Util.fixEmptyAndTrim(report);
    }

    public boolean isUnstableOnFailure() {
        return unstableOnFailure;
    }

    @DataBoundSetter
    public void setUnstableOnFailure(boolean unstableOnFailure) {
        this.unstableOnFailure = unstableOnFailure;
    }

    /** A step that runs its core function in the workspace of a node. */
    public abstract static class MlopsStepDescriptor extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, FilePath.class, TaskListener.class, EnvVars.class);
        }

        /**
         * What Blue Ocean and Pipeline Graph View show next to the step's name: the one or two
         * arguments that tell one call from another.
         */
        @Override
        public String argumentsToString(Map<String, Object> namedArgs) {
            StringBuilder text = new StringBuilder();
            for (String key : summaryArguments()) {
                Object value = namedArgs.get(key);
                if (value != null && !String.valueOf(value).isBlank()) {
                    text.append(text.isEmpty() ? "" : ", ").append(value);
                }
            }
            return text.isEmpty() ? null : text.toString();
        }

        /** The arguments {@link #argumentsToString} shows, in order. */
        protected abstract String[] summaryArguments();
    }
}
