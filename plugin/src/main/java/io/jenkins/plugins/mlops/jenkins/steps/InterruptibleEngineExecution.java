package io.jenkins.plugins.mlops.jenkins.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.FilePath;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.springframework.security.core.Authentication;

/**
 * A long engine call that holds something outside Jenkins: live traffic ({@code canaryRollout},
 * {@code shadowDeploy}) or a training run ({@code trainOnGpu}'s command form: a GPU Job or a process on
 * the agent). An abort must not cut it short: {@link #stop} interrupts the engine where it runs
 * (controller or agent) and the step ends only when the engine has done what it does on an interrupt
 * (roll back, stop its router, delete the Job, stop the process tree), so the build does not end while
 * traffic still goes to the candidate or GPUs still train.
 * It cannot resume after a controller restart (the router and its analysis live in the JVM that
 * ran them), so a safe restart waits until it has ended ({@link RestartWaitsForEngineCalls}); after a hard
 * restart {@link #onResume} fails the step and names what may still be running.
 */
final class InterruptibleEngineExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(InterruptibleEngineExecution.class.getName());
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(
            new NamingThreadFactory(new DaemonThreadFactory(), "mlops engine call"));
    private static final Set<String> RUNNING = ConcurrentHashMap.newKeySet();

    /** The step's work, given the id under which {@link EngineCall#interruptibleAs} makes it interruptible. */
    @FunctionalInterface
    interface Body {
        Object run(StepContext context, String interruptId) throws Exception;
    }

    private final String interruptId = UUID.randomUUID().toString();
    private final String stepName;
    private final String leftRunningOnRestart;
    private final transient Body body;
    private transient volatile Future<?> task;
    private transient volatile Throwable stopCause;

    /**
     * @param leftRunningOnRestart what a controller restart may leave behind, for the log
     */
    InterruptibleEngineExecution(StepContext context, String stepName, String leftRunningOnRestart, Body body) {
        super(context);
        this.stepName = stepName;
        this.leftRunningOnRestart = leftRunningOnRestart;
        this.body = body;
    }

    @Override
    public boolean start() {
        Authentication auth = Jenkins.getAuthentication2();
        RUNNING.add(interruptId);
        task = THREADS.submit(() -> {
            Object result = null;
            Throwable failure = null;
            try (ACLContext ignored = ACL.as2(auth)) {
                result = body.run(getContext(), interruptId);
            } catch (Throwable t) {
                failure = t;
            } finally {
                RUNNING.remove(interruptId);
            }
            complete(result, failure);
        });
        return false;
    }

    private void complete(Object result, Throwable failure) {
        Throwable stopped = stopCause;
        if (stopped != null) {
            // The engine's own message ("the rollout was interrupted") says what it did; the step ends as aborted.
            log(stepName + ": stopped" + (failure == null ? "" : ": " + failure.getMessage()));
            getContext().onFailure(stopped);
        } else if (failure != null) {
            getContext().onFailure(failure);
        } else {
            getContext().onSuccess(result);
        }
    }

    @Override
    public void stop(@NonNull Throwable cause) {
        stopCause = cause;
        Future<?> running = task;
        if (running == null || running.isDone()) {
            getContext().onFailure(cause);
            return;
        }
        log(stepName + ": aborting, waiting for it to roll back");
        // Not on this thread: stop() runs on Pipeline's threads, and the agent may take a moment to answer.
        THREADS.submit(() -> {
            boolean reached;
            try {
                FilePath workspace = getContext().get(FilePath.class);
                reached = workspace != null && workspace.act(new EngineThreads.Interrupt(interruptId));
            } catch (Exception e) {
                LOGGER.log(Level.FINE, "could not reach the engine call " + interruptId, e);
                reached = false;
            }
            if (!reached) {
                // Not started yet, or its agent is gone: interrupt the controller's side, which cancels a remote call.
                running.cancel(true);
            }
        });
    }

    @Override
    public void onResume() {
        getContext().onFailure(new AbortException(stepName + " cannot resume after a restart of the Jenkins controller,"
                + " so it failed; " + leftRunningOnRestart));
    }

    @Override
    public String getStatus() {
        Future<?> running = task;
        return running == null ? "not running in this controller" : running.isDone() ? "done" : "running the engine";
    }

    private void log(String line) {
        try {
            getContext().get(TaskListener.class).getLogger().println(line);
        } catch (Exception e) {
            LOGGER.log(Level.FINE, "no log for " + stepName, e);
        }
    }

    /** Whether an engine call that a restart would cut off runs in this controller. */
    static boolean anyRunning() {
        return !RUNNING.isEmpty();
    }
}
