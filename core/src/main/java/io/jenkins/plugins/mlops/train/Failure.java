package io.jenkins.plugins.mlops.train;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A classified failure.
 *
 * @param kind the class of failure
 * @param message one sentence saying what happened
 * @param evidence the log lines that show it, quoted as they were printed
 */
public record Failure(FailureKind kind, String message, List<String> evidence) implements Serializable {

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        evidence = List.copyOf(evidence);
    }
}
