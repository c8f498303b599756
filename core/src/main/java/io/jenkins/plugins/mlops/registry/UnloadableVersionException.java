package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.InfrastructureException;

/**
 * An alias or version exists in the registry, but the model it names cannot be loaded: the
 * version or its files are gone. Not "no such model": treating it so would let a pipeline gate a
 * candidate against the first-model floors and promote a worse model. The command line exits 3.
 */
public class UnloadableVersionException extends InfrastructureException {
    private static final long serialVersionUID = 1L;

    public UnloadableVersionException(String message) {
        super(message);
    }
}
