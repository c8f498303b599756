package io.jenkins.plugins.mlops.io;

import java.time.Duration;

/**
 * The check every config makes on a timeout or a time bound: longer than zero. Zero would read
 * as "no timeout" to the libraries underneath (Vert.x, the JDK's HTTP client) or end a run at
 * once, so it is bad input, never a silent choice.
 */
public final class PositiveDurations {
    private PositiveDurations() {}

    /** @return {@code duration}, when it is longer than zero; else bad input naming {@code option} */
    public static Duration require(Duration duration, String option) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new BadInputException(option + " must be longer than zero" + (duration == null ? "" : ", got " + duration));
        }
        return duration;
    }
}
