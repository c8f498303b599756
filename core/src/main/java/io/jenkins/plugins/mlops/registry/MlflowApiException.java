package io.jenkins.plugins.mlops.registry;

import io.jenkins.plugins.mlops.io.InfrastructureException;
import io.jenkins.plugins.mlops.io.Redaction;

/**
 * MLflow answered a request with an error that retrying does not fix, or kept failing until the
 * deadline. Carries MLflow's {@code error_code} (e.g. {@code RESOURCE_DOES_NOT_EXIST}) so that
 * the adapter can tell a missing model from a broken server.
 */
public class MlflowApiException extends InfrastructureException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errorCode;

    MlflowApiException(String message, int httpStatus, String errorCode, Throwable cause) {
        super(Redaction.redact(message), cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status, or 0 when no answer came back (connection refused until the deadline). */
    public int httpStatus() {
        return httpStatus;
    }

    /** MLflow's error code, or null when the answer was not MLflow's JSON error. */
    public String errorCode() {
        return errorCode;
    }
}
