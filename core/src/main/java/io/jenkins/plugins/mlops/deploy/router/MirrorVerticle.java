package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

/**
 * Sends mirrored copies to the shadow on an event loop of its own, with its own pool and timeout:
 * the primary's event loops only hand a copy over, so the shadow's work and its slowness never
 * run on the thread that answers clients.
 */
final class MirrorVerticle extends AbstractVerticle {
    private final Router router;
    private Context loop;
    private HttpClient client;
    private AnswerDeadlines deadlines;

    MirrorVerticle(Router router) {
        this.router = router;
    }

    @Override
    public void start(Promise<Void> started) {
        loop = context;
        client = vertx.createHttpClient(router.upstreamTls().clientOptions(ProxyVerticle.UPSTREAM).setConnectTimeout(2_000),
                new PoolOptions().setHttp1MaxSize(Math.min(512, router.config().mirrorQueue())));
        deadlines = new AnswerDeadlines(router.config().mirrorTimeout().toMillis());
        vertx.setPeriodic(deadlines.sweepMillis(), tick -> deadlines.sweep(System.nanoTime()));
        started.complete();
    }

    /** Sends a copy of {@code primary}'s request, in a mirror-queue slot the caller reserved. */
    void send(HttpMethod method, String uri, MultiMap headers, Exchange primary) {
        Upstream target = router.mirrorUpstream();
        if (target == null) {
            // Turned off since the slot was reserved: the copy is not sent, and not counted.
            router.mirrorSlots().release();
            return;
        }
        router.mirrorSent();
        loop.runOnContext(ignored -> {
            long startNanos = System.nanoTime();
            long sentAt = System.currentTimeMillis();
            ProxyVerticle.forward(client, deadlines.start(), target, method, uri, headers, Buffer.buffer(primary.request()))
                    .onComplete(result -> {
                        int status = result.succeeded() ? result.result().status() : 0;
                        long nanos = System.nanoTime() - startNanos;
                        Exchange shadow = new Exchange(primary.requestId(), RouterConfig.MIRROR_VARIANT, sentAt, status,
                                nanos / 1e6, primary.request(), result.succeeded() ? result.result().body() : new byte[0],
                                result.succeeded() ? result.result().length() : 0, true);
                        if (shadow.failed()) {
                            router.mirrorFailed();
                        }
                        router.metrics().served(RouterConfig.MIRROR_VARIANT, status, nanos);
                        router.processor().mirrored(primary, shadow);
                        // Released after the copy is handed to the recorder: whoever sees the queue
                        // empty in awaitQuiet then also waits for the copy to be recorded.
                        router.mirrorSlots().release();
                    });
        });
    }
}
