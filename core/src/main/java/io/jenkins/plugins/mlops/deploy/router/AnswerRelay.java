package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Streams an upstream's answer to the client as it comes, with backpressure (a client that reads
 * slowly pauses the upstream), keeping only its first bytes. {@code finished} runs once: with
 * true when the whole answer is in, just before the client's last byte is written, or with false
 * when the upstream or the client broke off, after which the client's connection is closed.
 */
final class AnswerRelay {
    private final HttpClientResponse from;
    private final HttpServerResponse to;
    private final BodyCapture kept = new BodyCapture(Exchange.KEPT_BYTES);
    private final Handler<Boolean> finished;
    /** The client connection's guard, told of every chunk and drain so that a moving answer is not idle; null when gone. */
    private final ConnectionGuard guard;
    private boolean done;

    AnswerRelay(HttpClientResponse from, HttpServerResponse to, ConnectionGuard guard, Handler<Boolean> finished) {
        this.from = from;
        this.to = to;
        this.guard = guard;
        this.finished = finished;
    }

    BodyCapture kept() {
        return kept;
    }

    void start() {
        from.handler(chunk -> {
            moved();
            kept.add(chunk);
            to.write(chunk);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(drained -> {
                    moved();
                    from.resume();
                });
            }
        });
        from.exceptionHandler(failure -> brokeOff());
        from.endHandler(end -> {
            if (finish(true)) {
                to.end();
            }
        });
        // The client went away: stop reading the upstream, whose connection cannot be reused.
        to.closeHandler(closed -> {
            if (finish(false)) {
                from.request().reset();
            }
        });
    }

    private void moved() {
        if (guard != null) {
            guard.moved();
        }
    }

    private void brokeOff() {
        if (finish(false)) {
            to.reset();
        }
    }

    private boolean finish(boolean whole) {
        if (done) {
            return false;
        }
        done = true;
        finished.handle(whole);
        return true;
    }
}
