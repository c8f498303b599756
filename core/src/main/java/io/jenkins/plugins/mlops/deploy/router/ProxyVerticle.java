package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One event loop's share of the router: its HTTP server (all instances share the port) and its
 * own pooled keep-alive client for the variants. Mirrored copies go to {@link MirrorVerticle}, on
 * an event loop and connection pool of its own, so a slow shadow never takes the primary's.
 */
final class ProxyVerticle extends AbstractVerticle {
    static final String REQUEST_ID = "X-Request-Id";
    static final String VARIANT = "X-Mlops-Variant";
    /** RFC 9110 7.6.1: meaningful for one connection only, never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host", "content-length");

    record Answer(int status, MultiMap headers, Buffer body) {}

    static final HttpClientOptions UPSTREAM = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
            .setKeepAliveTimeout(60).setConnectTimeout(5_000).setDecompressionSupported(false).setTryUseCompression(false);

    private final Router router;
    private final int port;
    private HttpClient variants;

    ProxyVerticle(Router router, int port) {
        this.router = router;
        this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
        RouterConfig config = router.config();
        variants = vertx.createHttpClient(UPSTREAM, new PoolOptions().setHttp1MaxSize(512));
        vertx.createHttpServer(new HttpServerOptions().setHost(config.listenHost()).setPort(port).setTcpNoDelay(true)
                        .setCompressionSupported(false).setIdleTimeout(120)
                        // No WebSocket extensions: their handler would sit in every request's pipeline.
                        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
                .requestHandler(this::handle)
                .listen()
                .onSuccess(server -> {
                    router.listening(server.actualPort());
                    started.complete();
                })
                .onFailure(started::fail);
    }

    private void handle(HttpServerRequest request) {
        long startNanos = System.nanoTime();
        long receivedAt = System.currentTimeMillis();
        String path = request.path();
        int limit = path.equals("/feedback") ? FeedbackApi.MAX_BODY
                : path.startsWith("/admin/") ? AdminApi.MAX_BODY : router.config().maxBodyBytes();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLength(declared) > limit) {
            Replies.error(request.response(), 413, "the body is larger than the router's limit of " + limit + " bytes");
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                Replies.error(request.response(), 413, "the body is larger than the router's limit of " + limit + " bytes");
                request.connection().close();
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(done -> {
            if (request.response().ended()) {
                return;
            }
            switch (path) {
                case "/metrics" -> metrics(request);
                case "/feedback" -> router.feedback().handle(request, body);
                default -> {
                    if (path.startsWith("/admin/")) {
                        router.admin().handle(request, body);
                    } else {
                        proxy(request, body, startNanos, receivedAt);
                    }
                }
            }
        });
    }

    private void metrics(HttpServerRequest request) {
        request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(router.scrape());
    }

    private void proxy(HttpServerRequest request, Buffer body, long startNanos, long receivedAt) {
        String requestId = requestId(request.getHeader(REQUEST_ID));
        String variant = router.selector().choose(request, router.currentWeights());
        MultiMap headers = forwardHeaders(request.headers(), requestId);
        byte[] requestBytes = body.getBytes();
        forward(variants, router.upstream(variant), request.method(), request.uri(), headers, body,
                router.config().upstreamTimeout().toMillis())
                .onComplete(result -> {
                    String fallback = router.config().fallbackVariant();
                    if (result.failed() && isConnectionFailure(result.cause()) && !variant.equals(fallback)) {
                        // The request never reached a model, so it is safe to send to stable; the
                        // failure still counts against the variant, so a judge sees it.
                        served(requestId, variant, receivedAt, startNanos, 0, requestBytes, new byte[0]);
                        forward(variants, router.upstream(fallback), request.method(), request.uri(), headers, body,
                                router.config().upstreamTimeout().toMillis())
                                .onComplete(retry -> respond(request, requestId, fallback, receivedAt, startNanos, requestBytes,
                                        retry.succeeded() ? retry.result() : null, retry.cause()));
                    } else {
                        respond(request, requestId, variant, receivedAt, startNanos, requestBytes,
                                result.succeeded() ? result.result() : null, result.cause());
                    }
                });
    }

    private void respond(HttpServerRequest request, String requestId, String variant, long receivedAt, long startNanos,
            byte[] requestBytes, Answer answer, Throwable failure) {
        HttpServerResponse response = request.response();
        response.putHeader(REQUEST_ID, requestId).putHeader(VARIANT, variant);
        // Recorded before the client has the answer, so that whoever reads the windows after
        // their request returned sees it.
        Exchange primary = served(requestId, variant, receivedAt, startNanos, answer == null ? 0 : answer.status(), requestBytes,
                answer == null ? new byte[0] : answer.body().getBytes());
        // The copy takes its place in the mirror queue before the client has the answer (so that
        // whoever waits for a quiet router after their request returned waits for it too), and is
        // sent after.
        boolean mirroring = router.config().mirror() != null && reserveMirrorSlot();
        if (answer != null) {
            answer.headers().forEach(header -> {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    response.headers().add(header.getKey(), header.getValue());
                }
            });
            if (!response.closed()) {
                response.setStatusCode(answer.status()).end(answer.body());
            }
        } else {
            boolean timeout = failure instanceof java.util.concurrent.TimeoutException
                    || String.valueOf(failure).contains("Timeout");
            Replies.error(response, timeout ? 504 : 502, "variant " + variant + (timeout ? " did not answer in time" :
                    " failed: " + (failure == null ? "no answer" : failure.getMessage())));
        }
        if (mirroring) {
            router.mirror().send(request.method(), request.uri(), forwardHeaders(request.headers(), requestId), primary);
        }
    }

    private Exchange served(String requestId, String variant, long receivedAt, long startNanos, int status, byte[] request,
            byte[] response) {
        long nanos = System.nanoTime() - startNanos;
        Exchange exchange = new Exchange(requestId, variant, receivedAt, status, nanos / 1e6, request, response, false);
        router.metrics().served(variant, status, nanos);
        router.processor().served(exchange);
        return exchange;
    }

    /** A place in the mirror queue, or false (and the copy counted as dropped) when the queue is full. */
    private boolean reserveMirrorSlot() {
        if (router.mirrorSlots().tryAcquire()) {
            return true;
        }
        router.mirrorDropped();
        return false;
    }

    static Future<Answer> forward(HttpClient client, Upstream upstream, HttpMethod method, String uri, MultiMap headers,
            Buffer body, long timeoutMillis) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(upstream.host()).setPort(upstream.port())
                .setSsl(upstream.ssl()).setURI(upstream.uri(uri)).setHeaders(headers).setIdleTimeout(timeoutMillis);
        return client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(bytes -> answer(response, bytes)));
    }

    private static Answer answer(HttpClientResponse response, Buffer body) {
        return new Answer(response.statusCode(), response.headers(), body);
    }

    static MultiMap forwardHeaders(MultiMap incoming, String requestId) {
        MultiMap headers = HttpHeaders.headers();
        for (Map.Entry<String, String> header : incoming) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        headers.set(REQUEST_ID, requestId);
        return headers;
    }

    /** The client's id when it is a sane token, else a fresh random UUID (not SecureRandom: ids are not secrets). */
    static String requestId(String given) {
        if (given != null && !given.isEmpty() && given.length() <= 128 && given.chars().allMatch(c -> c > 32 && c < 127)) {
            return given;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static boolean isConnectionFailure(Throwable failure) {
        return failure instanceof ConnectException || failure instanceof HttpClosedException
                || failure instanceof java.io.IOException && String.valueOf(failure.getMessage()).contains("reset");
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
