package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.result.Check;
import io.jenkins.plugins.mlops.result.Status;
import io.jenkins.plugins.mlops.result.StepResult;
import java.util.List;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

/**
 * What a step's status does to the build: below {@code failAt} nothing; at or above it the step
 * fails with the reasons, or, with {@code unstableOnFailure: true}, marks the build UNSTABLE and puts
 * a {@link WarningAction} on the step's node, which Blue Ocean and Pipeline Graph View flag.
 */
final class Verdict {
    /** Enough reasons for a log line; the report has all of them. */
    static final int MAX_REASONS = 5;

    private Verdict() {}

    static void apply(StepResult result, Status failAt, boolean unstableOnFailure, Run<?, ?> run,
            @CheckForNull FlowNode node, TaskListener listener, SecretMasker masker) throws AbortException {
        if (!result.status().isAtLeast(failAt)) {
            if (result.status() == Status.WARN) {
                listener.getLogger().println(masker.mask("mlops: " + result.step() + " warned: " + reasons(result)));
            }
            return;
        }
        String message = masker.mask(result.step() + " " + result.status() + ": " + reasons(result));
        if (!unstableOnFailure) {
            throw new AbortException(message);
        }
        listener.getLogger().println("mlops: " + message + " (marked UNSTABLE, as unstableOnFailure asks)");
        run.setResult(Result.UNSTABLE);
        if (node != null) {
            node.addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(message));
        }
    }

    /** The summary, then the checks that did not pass: what a person needs to see first. */
    static String reasons(StepResult result) {
        List<Check> bad = result.checks().stream().filter(c -> c.status().isAtLeast(Status.WARN)).toList();
        String checks = bad.stream().limit(MAX_REASONS)
                .map(c -> c.qualifiedName() + " " + c.status() + (c.message() == null ? "" : " (" + c.message() + ")"))
                .collect(Collectors.joining("; "));
        String more = bad.size() > MAX_REASONS ? "; and " + (bad.size() - MAX_REASONS) + " more in the report" : "";
        return result.summary() + (checks.isEmpty() ? "" : " — " + checks + more);
    }
}
