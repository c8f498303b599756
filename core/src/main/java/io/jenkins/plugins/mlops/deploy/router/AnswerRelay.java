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
    private boolean done;

    AnswerRelay(HttpClientResponse from, HttpServerResponse to, Handler<Boolean> finished) {
        this.from = from;
        this.to = to;
        this.finished = finished;
    }

    BodyCapture kept() {
        return kept;
    }

    void start() {
        from.handler(chunk -> {
            kept.add(chunk);
            to.write(chunk);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(drained -> from.resume());
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
