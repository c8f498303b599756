package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.Extension;
import hudson.model.RestartListener;

/**
 * Holds a safe restart back while {@code canaryRollout} or {@code shadowDeploy} runs: their router
 * and analysis live in a JVM and cannot resume, so a restart mid-way would fail the step and could
 * leave traffic where it was.
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
