package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection's phase (waiting for a request head, receiving a body, answering) and
 * since when, so that a sweep can close connections past their header or body deadline. It is
 * its request's response end handler, so that tracking a request allocates nothing. Used only on
 * its connection's event loop; the router-wide count of requests in flight is shared.
 */
final class ConnectionGuard implements Handler<Void> {
    private static final int HEAD = 0;
    private static final int BODY = 1;
    private static final int ANSWERING = 2;

    private final HttpConnection connection;
    private final AtomicInteger inFlight;
    private int phase = HEAD;
    private long since;
    private boolean last;
    private boolean lingering;

    ConnectionGuard(HttpConnection connection, AtomicInteger inFlight, long nowNanos) {
        this.connection = connection;
        this.inFlight = inFlight;
        this.since = nowNanos;
    }

    HttpConnection connection() {
        return connection;
    }

    void requestStarted(long nowNanos) {
        if (phase == HEAD) {
            inFlight.incrementAndGet();
        }
        phase = BODY;
        since = nowNanos;
    }

    void bodyReceived() {
        phase = ANSWERING;
    }

    /** The response ended: the connection waits for its next request head from now. */
    @Override
    public void handle(Void ended) {
        idle();
        since = System.nanoTime();
        if (last && !lingering) {
            connection.close();
        }
    }

    void closed() {
        idle();
    }

    /** The current answer is the connection's last: requests pipelined behind it are dropped, not served, and it closes after it. */
    void closeAfterAnswer() {
        last = true;
    }

    /** As {@link #closeAfterAnswer}, but whoever reads the rest of the refused body closes the connection, not the answer's end. */
    void lingerAfterAnswer() {
        last = true;
        lingering = true;
    }

    boolean closing() {
        return last;
    }

    /** Past its deadline: no complete head {@code headNanos} after opening or answering, or a body slower than {@code bodyNanos}. */
    boolean overdue(long nowNanos, long headNanos, long bodyNanos) {
        return phase == HEAD ? nowNanos - since > headNanos : phase == BODY && nowNanos - since > bodyNanos;
    }

    private void idle() {
        if (phase != HEAD) {
            inFlight.decrementAndGet();
        }
        phase = HEAD;
    }
}
