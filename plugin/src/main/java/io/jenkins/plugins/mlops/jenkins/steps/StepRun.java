package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.jenkins.actions.StepResultAction;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.IOException;
import java.util.function.BiFunction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * One call of a step in a build, Pipeline or freestyle: runs the core function on the workspace's
 * node, puts the report on the build page and applies the verdict.
 *
 * @param node the step's node in the flow graph, null in a freestyle build
 */
record StepRun(Run<?, ?> run, FilePath workspace, EnvVars env, TaskListener listener, @CheckForNull FlowNode node) {

    static StepRun of(StepContext context) throws IOException, InterruptedException {
        return new StepRun(context.get(Run.class), context.get(FilePath.class), context.get(EnvVars.class),
                context.get(TaskListener.class), context.get(FlowNode.class));
    }

    <R extends StepResult> R execute(EngineCall<R> call, BiFunction<R, Run<?, ?>, ? extends StepResultAction<R>> action,
            Status failAt, boolean unstableOnFailure) throws IOException, InterruptedException {
        if (workspace == null) {
            throw new AbortException("mlops steps need a workspace: call them inside node { ... }");
        }
        // node { } allocates a workspace but creates its folder only when a step writes there: a first step
        // that starts a process in it (trainOnGpu backend 'local', smokeTrain) would fail with "No such file".
        workspace.mkdirs();
        R result = workspace.act(call);
        synchronized (run) {
            // Naming the action and adding it in one step: parallel branches must not take the same URL.
            run.addAction(action.apply(result, run));
        }
        SecretMasker masker = call.masker();
        listener.getLogger().println(masker.mask("mlops: " + result.step() + " " + result.status() + ": " + result.summary()));
        Verdict.apply(result, failAt, unstableOnFailure, run, node, listener, masker);
        return result;
    }
}
