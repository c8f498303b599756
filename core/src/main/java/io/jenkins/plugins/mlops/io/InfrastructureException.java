package io.jenkins.plugins.mlops.io;

/**
 * Something mlops depends on failed: the registry, the cluster, a model server. Not the user's
 * input and not a failed check. The command line exits 3.
 */
public class InfrastructureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InfrastructureException(String message) {
        super(message);
    }

    public InfrastructureException(String message, Throwable cause) {
        super(message, cause);
    }
}
