package io.jenkins.plugins.mlops.jenkins.steps;

import hudson.model.TaskListener;
import io.jenkins.plugins.mlops.jenkins.SecretMasker;
import io.jenkins.plugins.mlops.registry.RegistryCredentials;
import io.jenkins.plugins.mlops.result.StepResult;
import java.io.Serializable;

/**
 * An engine call of a step that talks to the model registry: what travels to the agent is the
 * registry's URI, its credentials (not the Jenkins credentials object) and the step's checked parameters.
 *
 * @param <P> the step's parameters
 * @param <R> the step's result
 */
abstract class RegistryEngineCall<P extends Serializable, R extends StepResult> extends EngineCall<R> {
    private static final long serialVersionUID = 1L;
    protected final String registry;
    protected final RegistryCredentials credentials;
    protected final P parameters;

    RegistryEngineCall(TaskListener listener, SecretMasker masker, String report, RegistryAccess access, P parameters) {
        super(listener, masker, report);
        this.registry = access.uri();
        this.credentials = access.credentials().credentials();
        this.parameters = parameters;
    }
}
