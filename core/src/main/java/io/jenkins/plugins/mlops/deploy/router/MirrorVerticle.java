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
 * Sends the copies of the requests the Vert.x server behind the front proxied (a connection the
 * front handed over: HTTP/1.0, a chunked body, ...) to the shadow, on an event loop of its own,
 * with its own pool and timeout. The front's own requests are mirrored by {@link MirrorLane}.
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
        Upstream target = router.sendMirrorCopy();
        if (target == null) {
            return;
        }
        loop.runOnContext(ignored -> {
            long startNanos = System.nanoTime();
            long sentAt = System.currentTimeMillis();
            ProxyVerticle.forward(client, deadlines.start(), target, method, uri, headers, Buffer.buffer(primary.request()))
                    .onComplete(result -> {
                        boolean answered = result.succeeded();
                        router.mirrored(primary, sentAt, answered ? result.result().status() : 0, System.nanoTime() - startNanos,
                                answered ? result.result().body() : new byte[0], answered ? result.result().length() : 0);
                    });
        });
    }
}
