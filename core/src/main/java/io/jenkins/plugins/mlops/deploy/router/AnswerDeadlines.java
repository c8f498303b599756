package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The upstream timeout of one event loop's requests, kept without a timer per request. The
 * timeout is the same for every request, so the order they were sent in is the order of their
 * deadlines: a linked list in that order, swept from its oldest end by one periodic timer, and
 * left in O(1) when an answer is in. Vert.x's per-request idle timeout (a scheduled task, a map
 * entry, a priority queue's insert and removal) was 6% of the event loop's samples under wrk.
 * A request is given up at most {@link #sweepMillis()} after its deadline. Used only on its
 * event loop.
 */
final class AnswerDeadlines {
    private final long timeoutMillis;
    private final long timeoutNanos;
    private Wait oldest;
    private Wait newest;

    AnswerDeadlines(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /** A tenth of the timeout, between 10 ms and 1 s: how late a request may be given up. */
    long sweepMillis() {
        return Math.max(10, Math.min(1_000, timeoutMillis / 10));
    }

    /** Starts the clock of a request about to be sent; its {@link HttpClientRequest} comes with {@link Wait#sent}. */
    Wait start() {
        Wait wait = new Wait(System.nanoTime() + timeoutNanos);
        if (newest == null) {
            oldest = wait;
        } else {
            newest.after = wait;
            wait.before = newest;
        }
        newest = wait;
        return wait;
    }

    /** Resets every request past its deadline, which fails its answer with a {@link TimeoutException}. */
    void sweep(long nowNanos) {
        while (oldest != null && nowNanos - oldest.deadline >= 0) {
            Wait expired = oldest;
            expired.done();
            expired.expired = true;
            expired.reset();
        }
    }

    /** One request's place in the list: off it once its answer is in, failed, or reset. */
    final class Wait {
        private final long deadline;
        private Wait before;
        private Wait after;
        private boolean listed = true;
        private boolean expired;
        private Runnable reset;

        private Wait(long deadline) {
            this.deadline = deadline;
        }

        /**
         * The deadline passed and the request was reset. Vert.x fails a reset HTTP/1.1 request with
         * the connection's closing rather than the cause given, so callers ask this, not the failure.
         */
        boolean expired() {
            return expired;
        }

        /** The request got its connection; reset at once when its deadline passed while it waited for one. */
        void sent(HttpClientRequest sent) {
            sent(() -> sent.reset(0, new TimeoutException("no answer within " + timeoutMillis + " ms")));
        }

        /** As {@link #sent(HttpClientRequest)}, for a request that {@code onExpiry} gives up. */
        void sent(Runnable onExpiry) {
            reset = onExpiry;
            if (expired) {
                reset();
            }
        }

        /** The answer is in, or failed: the deadline no longer applies. Idempotent. */
        void done() {
            if (!listed) {
                return;
            }
            listed = false;
            if (before == null) {
                oldest = after;
            } else {
                before.after = after;
            }
            if (after == null) {
                newest = before;
            } else {
                after.before = before;
            }
            before = null;
            after = null;
        }

        private void reset() {
            if (reset != null) {
                reset.run();
            }
        }
    }
}
