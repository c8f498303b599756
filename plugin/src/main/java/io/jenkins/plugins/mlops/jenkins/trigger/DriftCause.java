package io.jenkins.plugins.mlops.jenkins.trigger;

import hudson.model.Cause;

/** Why a Continuous Training build started: drift found by {@link DriftTrigger}, or a monitoring system's alert. */
public class DriftCause extends Cause {
    private final String description;

    public DriftCause(String description) {
        this.description = description;
    }

    @Override
    public String getShortDescription() {
        return description;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriftCause other && other.description.equals(description);
    }

    @Override
    public int hashCode() {
        return description.hashCode();
    }
}
