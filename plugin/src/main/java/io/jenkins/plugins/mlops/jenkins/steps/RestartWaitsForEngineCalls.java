package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.Extension;
import hudson.model.RestartListener;

/**
 * Holds a safe restart back while {@code canaryRollout}, {@code shadowDeploy} or {@code trainOnGpu}'s
 * command form runs: their router, analysis or training watch live in a JVM and cannot resume, so a
 * restart mid-way would fail the step and could leave traffic where it was or a GPU Job running.
 */
@Extension
public class RestartWaitsForEngineCalls extends RestartListener {
    @Override
    public boolean isReadyToRestart() {
        return !InterruptibleEngineExecution.anyRunning();
    }

    @Override
    public void onRestart() {
        // Nothing to save: isReadyToRestart let no engine call run into the restart.
    }
}
