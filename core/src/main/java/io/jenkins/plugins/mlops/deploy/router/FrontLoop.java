package io.jenkins.plugins.mlops.deploy.router;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

/** One front event loop's connections, upstream deadlines and mirrored copies' deadlines; touched only on that loop. */
final class FrontLoop {
    private final AnswerDeadlines deadlines;
    private final AnswerDeadlines mirrorDeadlines;
    private final Set<FrontConnection> connections = new LinkedHashSet<>();

    FrontLoop(long upstreamTimeoutMillis, long mirrorTimeoutMillis) {
        this.deadlines = new AnswerDeadlines(upstreamTimeoutMillis);
        this.mirrorDeadlines = new AnswerDeadlines(mirrorTimeoutMillis);
    }

    AnswerDeadlines deadlines() {
        return deadlines;
    }

    AnswerDeadlines mirrorDeadlines() {
        return mirrorDeadlines;
    }

    void add(FrontConnection connection) {
        connections.add(connection);
    }

    void remove(FrontConnection connection) {
        connections.remove(connection);
    }

    /** Closes the connections past a deadline (a copy: closing one removes it from the set). */
    void sweep(ConnectionLimits limits, long idleNanos) {
        long now = System.nanoTime();
        long upstreamNanos = deadlines.timeoutMillis() * 1_000_000L;
        for (FrontConnection connection : new ArrayList<>(connections)) {
            connection.sweep(now, limits.headerTimeout().toNanos(), limits.bodyTimeout().toNanos(), idleNanos, upstreamNanos);
        }
    }
}
