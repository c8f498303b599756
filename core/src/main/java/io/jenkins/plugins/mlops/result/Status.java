package io.jenkins.plugins.mlops.result;

/**
 * The verdict of a check or a step, ordered from best to worst so that a step's status is the
 * worst of its checks.
 */
public enum Status {
    /** The check held. */
    PASS,
    /** Worth a look; does not fail the build unless the user asks (e.g. {@code --fail-on warn}). */
    WARN,
    /** The check did not hold: the build fails. */
    FAIL,
    /** The check could not be evaluated. Steps fail closed, so this fails the build too. */
    ERROR;

    public Status worse(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    public boolean isAtLeast(Status other) {
        return ordinal() >= other.ordinal();
    }

    /** The worst status of the given checks, {@link #PASS} when there are none. */
    public static Status worstOf(Iterable<Check> checks) {
        Status worst = PASS;
        for (Check check : checks) {
            worst = worst.worse(check.status());
        }
        return worst;
    }
}
