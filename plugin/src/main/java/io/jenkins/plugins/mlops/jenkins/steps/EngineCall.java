package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.AbortException;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.mlops.io.BadInputException;
import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.jenkins.ReportKind;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.report.ReportWriter;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import jenkins.MasterToSlaveFileCallable;

/**
 * One step's core function, run on the agent that holds the workspace: paths resolve against the
 * workspace, progress goes to the build log (secrets masked), the report files go where
 * {@code report:} says, and the result record comes back to the controller. Bad input and a broken
 * service end the step with a message, never a stack trace.
 *
 * @param <R> the step's result
 */
public abstract class EngineCall<R extends StepResult> extends MasterToSlaveFileCallable<R> {
    private static final long serialVersionUID = 1L;

    private final TaskListener listener;
    private final SecretMasker masker;
    private final String reportDir;
    /** Set by {@link InterruptibleEngineExecution}: the call's id in {@link EngineThreads}, so that an abort can reach it. */
    private String interruptId;

    protected EngineCall(TaskListener listener, SecretMasker masker, String reportDir) {
        this.listener = listener;
        this.masker = masker;
        this.reportDir = reportDir;
    }

    /** Masks the step's secrets in what the controller prints about the result, as {@link #invoke} does on the agent. */
    SecretMasker masker() {
        return masker;
    }

    /** Lets an abort interrupt this call where it runs, under {@code id}. */
    EngineCall<R> interruptibleAs(String id) {
        this.interruptId = id;
        return this;
    }

    /** The step's name as a Jenkinsfile spells it, for messages. */
    protected abstract String stepName();

    protected abstract ReportKind<R> kind();

    /** Runs the core function; every path it is given is already resolved against {@code workspace}. */
    protected abstract R run(Path workspace, Consumer<String> progress) throws IOException, InterruptedException;

    @Override
    public final R invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        PrintStream log = listener.getLogger();
        Consumer<String> progress = line -> log.println(masker.mask(line));
        Path ws = workspace.toPath();
        if (interruptId != null) {
            EngineThreads.started(interruptId);
        }
        try {
            R result = run(ws, progress);
            if (reportDir != null) {
                Path dir = ws.resolve(reportDir);
                ReportWriter.write(dir, kind().baseName(), result, kind().title(), kind().panels().apply(result));
                progress.accept("mlops: report in " + reportDir + "/" + kind().baseName() + ".html");
            }
            return result;
        } catch (BadInputException e) {
            throw new AbortException(masker.mask(stepName() + ": " + e.getMessage()));
        } catch (InfrastructureException e) {
            throw new AbortException(masker.mask(stepName() + ": infrastructure failure: " + e.getMessage()));
        } finally {
            if (interruptId != null) {
                EngineThreads.ended(interruptId);
            }
        }
    }

    /** A user's path, relative to the workspace unless absolute; null stays null. */
    protected static String resolve(Path workspace, String path) {
        return path == null ? null : workspace.resolve(path).toString();
    }
}
