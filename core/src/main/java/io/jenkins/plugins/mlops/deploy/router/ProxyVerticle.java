package io.jenkins.plugins.mlops.deploy.router;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.net.ConnectException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x HTTP server behind the {@link FrontServer}, on loopback: the connections the front
 * hands over (the admin API, /metrics, /feedback, and requests its light parse does not take),
 * with a pooled keep-alive client for the variants. Mirrored copies go to {@link MirrorVerticle}, on
 * an event loop and connection pool of its own, so a slow shadow never takes the primary's.
 * Answers are streamed to the client, never held whole; each connection is held to the
 * {@link ConnectionLimits}.
 */
final class ProxyVerticle extends AbstractVerticle {
    static final String REQUEST_ID = "X-Request-Id";
    static final String VARIANT = "X-Mlops-Variant";
    private static final byte[] NOTHING = new byte[0];
    /** How long, and how many bytes, a refused request's body is read and dropped before its connection closes. */
    static final long LINGER_MILLIS = 5_000;
    static final long LINGER_BYTES = 16L * 1024 * 1024;

    /** A mirrored answer: its status and what was kept of its body. */
    record Answer(int status, byte[] body, long length) {}

    static final HttpClientOptions UPSTREAM = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
            .setKeepAliveTimeout(60).setConnectTimeout(5_000).setDecompressionSupported(false).setTryUseCompression(false);

    private final Router router;
    private final String host;
    private final int port;
    private final java.util.function.IntConsumer listening;
    /** This event loop's client connections; touched only on it. */
    private final Map<HttpConnection, ConnectionGuard> guards = new HashMap<>();
    private HttpClient variants;
    private AnswerDeadlines deadlines;

    /**
     * Listens on {@code host:port} behind the {@link FrontServer}, serving only the connections it
     * hands over ({@link Handovers}); {@code listening} gets the port.
     */
    ProxyVerticle(Router router, String host, int port, java.util.function.IntConsumer listening) {
        this.router = router;
        this.host = host;
        this.port = port;
        this.listening = listening;
    }

    @Override
    public void start(Promise<Void> started) {
        RouterConfig config = router.config();
        ConnectionLimits limits = config.limits();
        // Waiting for a slow model moves no byte on the client's connection: that is not idleness.
        long idleMillis = Math.max(limits.idleTimeout().toMillis(), config.upstreamTimeout().toMillis() + 1_000);
        variants = vertx.createHttpClient(router.upstreamTls().clientOptions(UPSTREAM), new PoolOptions().setHttp1MaxSize(512));
        deadlines = new AnswerDeadlines(config.upstreamTimeout().toMillis());
        vertx.setPeriodic(deadlines.sweepMillis(), tick -> deadlines.sweep(System.nanoTime()));
        vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                        // HTTP/1.1 only: with h2c on, a connection is only known once its first bytes came.
                        .setHttp2ClearTextEnabled(false).setCompressionSupported(false)
                        .setIdleTimeout((int) idleMillis).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                        // No WebSocket extensions: their handler would sit in every request's pipeline.
                        .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false))
                .connectionHandler(this::connected)
                .requestHandler(this::handle)
                .listen()
                .onSuccess(server -> {
                    listening.accept(server.actualPort());
                    long sweepMillis = Math.max(50, Math.min(1_000,
                            Math.min(limits.headerTimeout().toMillis(), limits.bodyTimeout().toMillis()) / 4));
                    vertx.setPeriodic(sweepMillis, tick -> sweep(limits));
                    started.complete();
                })
                .onFailure(started::fail);
    }

    /**
     * Guards a connection the front handed over (the front counted it against the limit); closes
     * any other at once, without an answer: a local process that went round the front, and round
     * its connection limit.
     */
    private void connected(HttpConnection connection) {
        if (!router.handovers().take(connection.remoteAddress(true))) {
            connection.close();
            return;
        }
        ConnectionGuard guard = new ConnectionGuard(connection, router.inFlight(), System.nanoTime());
        guards.put(connection, guard);
        connection.closeHandler(closed -> {
            guards.remove(connection);
            guard.closed();
        });
    }

    /** Closes the connections past their header or body deadline. */
    private void sweep(ConnectionLimits limits) {
        long now = System.nanoTime();
        long head = limits.headerTimeout().toNanos();
        long body = limits.bodyTimeout().toNanos();
        for (ConnectionGuard guard : guards.values()) {
            if (guard.overdue(now, head, body)) {
                guard.connection().close();
            }
        }
    }

    private void handle(HttpServerRequest request) {
        long startNanos = System.nanoTime();
        long receivedAt = System.currentTimeMillis();
        ConnectionGuard guard = guards.get(request.connection());
        if (guard == null || guard.closing()) {
            // Pipelined behind an answer that closes the connection (or refused): never served.
            return;
        }
        guard.requestStarted(startNanos);
        request.response().endHandler(guard);
        if (refusedAsMalformed(request, guard)) {
            return;
        }
        String path = request.path();
        int limit = path.equals("/feedback") ? FeedbackApi.MAX_BODY
                : path.startsWith("/admin/") ? AdminApi.MAX_BODY : router.config().maxBodyBytes();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLength(declared) > limit) {
            refuse(request, guard, 413, "the body is larger than the router's limit of " + limit + " bytes");
            return;
        }
        Buffer body = Buffer.buffer();
        if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
            // A malformed chunk (a size that overflows, a bad line) ends the request with an error.
            // The rest of the stream cannot be parsed, so it is not read either: the connection closes at once.
            request.exceptionHandler(failure -> refuse(request, guard, 400, "malformed chunked body: " + failure.getMessage(), false));
        }
        request.handler(chunk -> {
            if (body.length() + chunk.length() > limit) {
                refuse(request, guard, 413, "the body is larger than the router's limit of " + limit + " bytes");
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(done -> {
            if (request.response().ended()) {
                return;
            }
            guard.bodyReceived();
            if (router.draining()) {
                // Stopping: a request that came on an open connection is still served, within the
                // grace period, and the connection closed after it, so the client moves elsewhere.
                guard.closeAfterAnswer();
                request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            }
            switch (path) {
                case "/metrics" -> metrics(request);
                case "/feedback" -> router.feedback().handle(request, body);
                default -> {
                    if (path.startsWith("/admin/")) {
                        router.admin().handle(request, body);
                    } else {
                        // Timed from the request whole, as on the front and for the shadow's copies.
                        proxy(request, body, System.nanoTime(), receivedAt);
                    }
                }
            }
        });
    }

    /**
     * RFC 9112: exactly one Host (HTTP/1.1), no transfer coding but chunked (whatever follows an
     * unknown coding is not a request of its own), and no CONNECT tunnels. The connection closes
     * after the refusal, so nothing pipelined behind the request is taken as one.
     */
    private boolean refusedAsMalformed(HttpServerRequest request, ConnectionGuard guard) {
        if (request.method() == HttpMethod.CONNECT) {
            request.response().putHeader("Allow", "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH");
            refuse(request, guard, 405, "CONNECT is not served: the router is a reverse proxy, not a tunnel");
            return true;
        }
        MultiMap headers = request.headers();
        List<String> hosts = headers.getAll(HttpHeaders.HOST);
        if (hosts.size() > 1 || hosts.isEmpty() && request.version() == HttpVersion.HTTP_1_1) {
            refuse(request, guard, 400, "an HTTP/1.1 request needs exactly one Host header, this one has " + hosts.size());
            return true;
        }
        if (headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
            List<String> codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
            if (codings.size() != 1 || !"chunked".equalsIgnoreCase(codings.get(0).strip())) {
                // Its body has no framing the router knows: nothing after the head is read.
                refuse(request, guard, 501, "Transfer-Encoding " + codings + " is not implemented; only chunked is", false);
                return true;
            }
        }
        return false;
    }

    /** Answers with an error and closes the connection after it, once the rest of the request's body is read (see {@link #linger}). */
    private void refuse(HttpServerRequest request, ConnectionGuard guard, int status, String message) {
        refuse(request, guard, status, message, !request.isEnded());
    }

    private void refuse(HttpServerRequest request, ConnectionGuard guard, int status, String message, boolean bodyComing) {
        if (bodyComing) {
            guard.lingerAfterAnswer();
        } else {
            guard.closeAfterAnswer();
        }
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            Replies.error(response, status, message);
        }
        if (bodyComing) {
            linger(request);
        } else {
            request.connection().close();
        }
    }

    /**
     * Reads and drops the rest of a refused request's body, at most {@link #LINGER_BYTES} within
     * {@link #LINGER_MILLIS}, then closes. Closing a socket with unread bytes makes the kernel send a
     * reset, which destroys the answer before a client still writing its too-large body reads it:
     * that client saw "broken pipe", never its 413 (nginx's lingering close, for the same reason).
     */
    private void linger(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        long timer = vertx.setTimer(LINGER_MILLIS, expired -> connection.close());
        long[] dropped = {0};
        request.handler(chunk -> {
            dropped[0] += chunk.length();
            if (dropped[0] > LINGER_BYTES) {
                vertx.cancelTimer(timer);
                connection.close();
            }
        });
        request.exceptionHandler(failure -> {
            vertx.cancelTimer(timer);
            connection.close();
        });
        request.endHandler(done -> {
            vertx.cancelTimer(timer);
            connection.close();
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
        AnswerDeadlines.Wait wait = deadlines.start();
        send(variants, wait, router.upstream(variant), request.method(), request.uri(), headers, body)
                .onComplete(result -> {
                    String fallback = router.config().fallbackVariant();
                    if (result.failed() && !wait.expired() && isConnectionFailure(result.cause()) && !variant.equals(fallback)) {
                        // The request never reached a model, so it is safe to send to stable; the
                        // failure still counts against the variant, so a judge sees it.
                        router.served(requestId, variant, receivedAt, startNanos, 0, requestBytes, NOTHING, 0);
                        AnswerDeadlines.Wait retryWait = deadlines.start();
                        send(variants, retryWait, router.upstream(fallback), request.method(), request.uri(), headers, body)
                                .onComplete(retry -> respond(request, requestId, fallback, receivedAt, startNanos, requestBytes,
                                        retry, retryWait));
                    } else {
                        respond(request, requestId, variant, receivedAt, startNanos, requestBytes, result, wait);
                    }
                });
    }

    private void respond(HttpServerRequest request, String requestId, String variant, long receivedAt, long startNanos,
            byte[] requestBytes, AsyncResult<HttpClientResponse> result, AnswerDeadlines.Wait wait) {
        HttpServerResponse response = request.response();
        response.putHeader(REQUEST_ID, requestId).putHeader(VARIANT, variant);
        if (result.failed()) {
            Exchange primary = router.served(requestId, variant, receivedAt, startNanos, 0, requestBytes, NOTHING, 0);
            Throwable failure = result.cause();
            boolean mirroring = router.reserveMirrorSlot();
            boolean timeout = wait.expired() || failure instanceof java.util.concurrent.TimeoutException;
            Replies.error(response, timeout ? 504 : 502, "variant " + variant + (timeout ? " did not answer in time" :
                    " failed: " + UpstreamTls.reason(failure, router.upstream(variant))));
            mirror(request, requestId, primary, mirroring);
            return;
        }
        HttpClientResponse answer = result.result();
        MultiMap out = response.headers();
        for (Map.Entry<String, String> header : answer.headers()) {
            if (!HttpTokens.hopByHop(header.getKey())) {
                out.add(header.getKey(), header.getValue());
            }
        }
        response.setStatusCode(answer.statusCode());
        String length = answer.getHeader(HttpHeaders.CONTENT_LENGTH);
        long declared = length == null ? -1 : parseLength(length);
        boolean bodiless = HttpTokens.bodiless(answer.statusCode(), request.method() == HttpMethod.HEAD);
        if (bodiless || declared >= 0 && declared <= Exchange.KEPT_BYTES) {
            // Small and bounded (the decoder reads no more than declared): one write, as most answers are.
            answer.body().onComplete(whole -> {
                wait.done();
                byte[] bytes = whole.succeeded() ? whole.result().getBytes() : NOTHING;
                // Recorded, and the copy queued for the mirror, before the client has the answer:
                // whoever reads the windows or waits for a quiet router after it returned sees both.
                Exchange primary = router.served(requestId, variant, receivedAt, startNanos,
                        whole.succeeded() ? answer.statusCode() : 0, requestBytes, bytes, bytes.length);
                boolean mirroring = router.reserveMirrorSlot();
                if (whole.succeeded()) {
                    response.end(whole.result());
                } else {
                    response.reset();
                }
                mirror(request, requestId, primary, mirroring);
            });
            return;
        }
        // Streamed: from here the timeout is the time between two chunks (Vert.x's idle timeout),
        // not the time to the whole answer, which may be long. A timer only for these rare answers.
        wait.done();
        answer.request().idleTimeout(deadlines.timeoutMillis());
        if (declared >= 0) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
        AnswerRelay[] relay = new AnswerRelay[1];
        relay[0] = new AnswerRelay(answer, response, whole -> {
            BodyCapture kept = relay[0].kept();
            Exchange primary = router.served(requestId, variant, receivedAt, startNanos, whole ? answer.statusCode() : 0, requestBytes,
                    kept.bytes(), kept.length());
            mirror(request, requestId, primary, router.reserveMirrorSlot());
        });
        relay[0].start();
    }

    private void mirror(HttpServerRequest request, String requestId, Exchange primary, boolean reserved) {
        if (reserved) {
            router.mirror().send(request.method(), request.uri(), forwardHeaders(request.headers(), requestId), primary);
        }
    }

    /**
     * Sends a request; the answer's head, whose body the caller must read or stream at once. The
     * request is reset when {@code wait}'s deadline passes; the caller tells {@code wait} when the
     * answer is in (it is done here when the request fails).
     */
    static Future<HttpClientResponse> send(HttpClient client, AnswerDeadlines.Wait wait, Upstream upstream, HttpMethod method,
            String uri, MultiMap headers, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(upstream.host()).setPort(upstream.port())
                .setSsl(upstream.ssl()).setURI(upstream.uri(uri)).setHeaders(headers);
        return client.request(options).compose(request -> {
            wait.sent(request);
            return request.send(body);
        }).onFailure(failure -> wait.done());
    }

    /** Sends a request and reads its answer, keeping at most {@link Exchange#KEPT_BYTES} of the body. */
    static Future<Answer> forward(HttpClient client, AnswerDeadlines.Wait wait, Upstream upstream, HttpMethod method, String uri,
            MultiMap headers, Buffer body) {
        return send(client, wait, upstream, method, uri, headers, body).compose(response -> {
            Promise<Answer> answer = Promise.promise();
            BodyCapture kept = new BodyCapture(Exchange.KEPT_BYTES);
            response.handler(kept::add);
            response.exceptionHandler(failure -> {
                wait.done();
                answer.tryFail(failure);
            });
            response.endHandler(end -> {
                wait.done();
                answer.tryComplete(new Answer(response.statusCode(), kept.bytes(), kept.length()));
            });
            return answer.future();
        });
    }

    /**
     * The request's end-to-end headers, with the request id. Into a map that does not validate
     * what it is given: netty's decoder already refused bad names and a value cannot hold a line
     * break once parsed, and the id is checked by {@link #requestId}; validating every header again
     * was 2% of the event loop's samples under wrk.
     */
    static MultiMap forwardHeaders(MultiMap incoming, String requestId) {
        MultiMap headers = HeadersMultiMap.headers();
        for (Map.Entry<String, String> header : incoming) {
            if (!HttpTokens.hopByHop(header.getKey())) {
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
