package io.jenkins.plugins.mlops.deploy.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mlops.deploy.FaultyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 9112 framing the router must refuse rather than guess at, on raw sockets. */
class RouterConformanceTest {
    private static final String BODY = "{\"instances\": [[1]]}";

    private FaultyServer stable;
    private Router router;

    @BeforeEach
    void start() {
        stable = FaultyServer.start(0.25);
        router = Router.start(RouterConfig.builder().listen("127.0.0.1", 0).eventLoops(1).variant("stable", stable.url()).build());
    }

    @AfterEach
    void stop() {
        router.close();
        stable.close();
    }

    private URI uri() {
        return router.uri();
    }

    private static String post(String headers) {
        return "POST /invocations HTTP/1.1\r\n" + headers + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n"
                + BODY;
    }

    @Test
    void aWellFormedRequestIsProxied() throws Exception {
        assertThat(RawHttp.exchange(uri(), post("Host: x\r\n"))).startsWith("HTTP/1.1 200").contains("0.25");
        // HTTP/1.0 has no Host requirement.
        assertThat(RawHttp.exchange(uri(), "POST /invocations HTTP/1.0\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY))
                .startsWith("HTTP/1.0 200");
        assertThat(stable.requests()).isEqualTo(2);
    }

    @Test
    void anHttp11RequestWithoutHostOrWithTwoIs400() throws Exception {
        assertThat(RawHttp.exchange(uri(), post(""))).startsWith("HTTP/1.1 400").contains("exactly one Host");
        assertThat(RawHttp.exchange(uri(), post("Host: a\r\nHost: b\r\n"))).startsWith("HTTP/1.1 400").contains("exactly one Host");
        assertThat(stable.requests()).isZero();
    }

    @Test
    void anUnknownTransferEncodingIs501AndWhatFollowsIsNotTakenAsARequest() throws Exception {
        String smuggled = "POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
                + "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY;
        String answer = RawHttp.exchange(uri(), smuggled);
        assertThat(answer).startsWith("HTTP/1.1 501").contains("Transfer-Encoding");
        assertThat(answer.split("HTTP/1.1 ", -1)).as("one answer only").hasSize(2);
        assertThat(stable.requests()).isZero();

        assertThat(RawHttp.exchange(uri(), "POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "0\r\n\r\n")).startsWith("HTTP/1.1 501");
    }

    @Test
    void anOverflowingChunkSizeIs400() throws Exception {
        String answer = RawHttp.exchange(uri(), "POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "ffffffffffffffffffff1\r\nx\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400").contains("chunk");
        assertThat(stable.requests()).isZero();
    }

    @Test
    void aChunkedRequestIsProxied() throws Exception {
        String answer = RawHttp.exchange(uri(), "POST /invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n" + Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200").contains("0.25");
    }

    @Test
    void connectIs405() throws Exception {
        assertThat(RawHttp.exchange(uri(), "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"))
                .startsWith("HTTP/1.1 405").contains("Allow:");
        assertThat(stable.requests()).isZero();
    }

    /** Two requests in one write: both answered, in order, each with its own id; nothing merged or lost. */
    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String first = "POST /invocations HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\nContent-Length: " + BODY.length()
                + "\r\n\r\n" + BODY;
        String answer = RawHttp.exchange(uri(), first + post("Host: x\r\nX-Request-Id: second\r\n"));
        assertThat(answer.split("HTTP/1.1 200", -1)).as("two answers").hasSize(3);
        assertThat(answer.indexOf("X-Request-Id: first")).isPositive().isLessThan(answer.indexOf("X-Request-Id: second"));
        assertThat(stable.requestIds()).containsExactly("first", "second");
    }

    /** The router's own endpoints are served by the server behind the proxied path; the connection still proxies after one. */
    @Test
    void aConnectionThatAskedForMetricsStillProxies() throws Exception {
        String answer = RawHttp.exchange(uri(), "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" + post("Host: x\r\n"));
        assertThat(answer).startsWith("HTTP/1.1 200").contains("mlops_router_requests_total");
        assertThat(answer.split("HTTP/1.1 200", -1)).as("two answers").hasSize(3);
        assertThat(answer).endsWith("{\"predictions\": [0.25]}");
        assertThat(stable.requests()).isEqualTo(1);
    }

    /**
     * A chunked answer is relayed as it came, its body recorded, and its end found: the next request
     * on the connection (and on the model's connection behind it) is answered too.
     */
    @Test
    void aChunkedAnswerIsRelayedAndItsEndFound() throws Exception {
        stable.huge(1_000, true);
        java.util.List<Exchange> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        router.addListener(new ExchangeListener() {
            @Override
            public void onExchange(Exchange exchange) {
                seen.add(exchange);
            }
        });
        String keepAlive = "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY;
        String answer = RawHttp.exchange(uri(), keepAlive + post("Host: x\r\n"));
        assertThat(answer.split("HTTP/1.1 200", -1)).as("two answers").hasSize(3);
        assertThat(answer).containsIgnoringCase("transfer-encoding: chunked").endsWith("\r\n0\r\n\r\n");
        assertThat(router.awaitQuiet(Duration.ofSeconds(30))).isTrue();
        assertThat(seen).hasSize(2).allSatisfy(exchange -> {
            assertThat(exchange.status()).isEqualTo(200);
            assertThat(exchange.responseLength()).isEqualTo(1_000);
            assertThat(new String(exchange.response(), StandardCharsets.US_ASCII)).isBlank().hasSize(1_000);
        });
    }

    /** Stopping: a request that comes on a connection opened before is answered and its connection closed, not refused with a 503. */
    @Test
    void whileDrainingARequestOnAnOpenConnectionIsServedAndItsConnectionClosed() throws Exception {
        try (Socket open = RawHttp.open(uri())) {
            awaitTrue(() -> router.openConnections() == 1, "the router has the connection");
            stable.delay(2_000);
            CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.exchange(uri(), post("Host: x\r\n"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            awaitTrue(() -> stable.requests() == 1, "the slow request reached the model");
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> router.stop(Duration.ofSeconds(30)));
            awaitTrue(router::draining, "the router drains");
            stable.delay(0);

            open.getOutputStream().write(("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Length: " + BODY.length() + "\r\n\r\n"
                    + BODY).getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(open.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close").contains("0.25");
            assertThat(slow.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
            assertThat(stopped.get(60, TimeUnit.SECONDS)).as("every request finished within the grace period").isTrue();
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
