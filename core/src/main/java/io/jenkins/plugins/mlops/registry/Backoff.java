package io.jenkins.plugins.mlops.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter (half the delay fixed, half random) up to a deadline, so that
 * clients that failed together do not retry together. One instance per operation.
 */
final class Backoff {
    private static final Duration FIRST = Duration.ofMillis(200);
    private static final Duration CAP = Duration.ofSeconds(8);
    /** An attempt with less time than this left cannot succeed; it would only replace the real failure with a timeout. */
    private static final Duration SHORTEST_ATTEMPT = Duration.ofMillis(100);

    private final Instant deadline;
    private int attempts;

    Backoff(Duration timeout) {
        this.deadline = Instant.now().plus(timeout);
    }

    /**
     * Sleeps before the next attempt: the server's Retry-After when it sent one, else a jittered
     * exponential delay; never past the deadline.
     *
     * @return false when the deadline has passed (or too little is left for another attempt) and
     *     the caller should give up
     */
    boolean pause(Duration retryAfter) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            return false;
        }
        long ceiling = Math.min(CAP.toMillis(), FIRST.toMillis() << Math.min(attempts, 16));
        attempts++;
        long delay = retryAfter != null ? retryAfter.toMillis() : ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        try {
            Thread.sleep(Math.min(delay, left.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return remaining().compareTo(SHORTEST_ATTEMPT) >= 0;
    }

    int attempts() {
        return attempts;
    }

    Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
